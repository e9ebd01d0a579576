import Foundation
import ParleyCore

/// What a successful response's body turns out to be, told from its first bytes: the stream
/// asked for, a whole JSON reply (servers and proxies that ignore `stream: true`), or something
/// else (a proxy's HTML sign-in page). The Content-Type is only trusted where the bytes cannot
/// tell: an Ollama stream and a whole Ollama reply both start with `{`.
enum BodyShape: Equatable, Sendable {
    case stream
    case document
    case unexpected

    /// How the format streams.
    enum Framing: Sendable {
        case sse, ndjson
    }

    /// The shape of a body starting with `prefix`, or nil while it cannot tell yet. Once the body
    /// has `ended` it always tells: a body of nothing but blanks is left to the stream's framing,
    /// which reports it cut off.
    static func of(_ prefix: [UInt8], framing: Framing, contentType: String?, ended: Bool) -> BodyShape? {
        var start = prefix.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < prefix.count, [0x20, 0x09, 0x0D, 0x0A].contains(prefix[start]) { start += 1 }
        guard start < prefix.count else { return ended || prefix.count > 1024 ? .stream : nil }
        let first = prefix[start]
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return framing == .sse || isJSON(contentType) ? .document : .stream
        }
        guard framing == .sse else { return .unexpected }
        if first == UInt8(ascii: ":") { return .stream }
        // An event stream begins with a comment or one of its fields.
        let rest = prefix[start...]
        let end =
            rest.firstIndex { $0 == UInt8(ascii: ":") || $0 == 0x0A || $0 == 0x0D }
            ?? (ended ? rest.endIndex : nil)
        guard let end else { return rest.count > 5 ? .unexpected : nil }
        let field = String(decoding: prefix[start..<end], as: UTF8.self)
        return ["data", "event", "id", "retry"].contains(field) ? .stream : .unexpected
    }

    /// `application/json` or a `+json` type, whatever its parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = mediaType(contentType) else { return false }
        return type == "application/json" || type.hasSuffix("+json")
    }

    /// "text/html" from "text/html; charset=utf-8"; nil when there is none.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmed.lowercased()
        }
        return type.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension ProviderError {
    /// A successful response whose body is neither the stream asked for nor JSON: what came back,
    /// by type and a short cleaned excerpt, as in
    /// `the server answered with text/html instead of a stream: "Sign in – Corp proxy"`.
    static func unexpectedBody(_ start: [UInt8], contentType: String?) -> ProviderError {
        let type = BodyShape.mediaType(contentType).map { ControlPicture.safe($0) } ?? "an unlabelled body"
        let excerpt = excerpt(of: start, limit: 100).map { ": \"\($0)\"" } ?? ""
        return ProviderError(.protocol, "the server answered with \(type) instead of a stream\(excerpt)")
    }

    /// A whole JSON reply that is not one in the format asked for.
    static func notAReply(_ provider: String, _ document: JSON) -> ProviderError {
        let excerpt = excerpt(of: Array(document.serialized().utf8), limit: 100).map { ": \($0)" } ?? ""
        return ProviderError(.protocol, "\(provider) answered with JSON that is not a reply\(excerpt)")
    }
}
