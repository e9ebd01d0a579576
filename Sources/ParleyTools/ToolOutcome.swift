import Foundation
import ParleyCore

/// What a call brought back. A tool that ran and failed is an outcome too (`isError`), with the
/// tool's own words as its text: the model is told, as the protocol intends.
public struct ToolOutcome: Equatable, Sendable {
    /// The text parts joined by newlines; each other part described in brackets.
    public var text: String
    public var isError: Bool
    /// From sending the call to its answer.
    public var duration: Duration

    public init(text: String, isError: Bool, duration: Duration) {
        self.text = text
        self.isError = isError
        self.duration = duration
    }

    /// A `tools/call` result's parts as one text: images, audio and binary resources are
    /// described, not carried (`[image: image/png, 5120 bytes]`), since the text goes back to a
    /// model as text. Nil when `content` is not a list of parts.
    static func text(of content: JSON) -> String? {
        guard let parts = content.array else { return nil }
        return parts.map { part in
            let type = part["type"]?.string ?? "?"
            switch type {
            case "text":
                return part["text"]?.string ?? ""
            case "image", "audio":
                return "[\(type): \(part["mimeType"]?.string ?? "?"), \(decodedSize(part["data"]?.string ?? "")) bytes]"
            case "resource":
                let resource = part["resource"] ?? [:]
                if let text = resource["text"]?.string { return text }
                let mimeType = resource["mimeType"]?.string.map { ", " + $0 } ?? ""
                let size = resource["blob"]?.string.map { ", \(decodedSize($0)) bytes" } ?? ""
                return "[resource: \(resource["uri"]?.string ?? "?")\(mimeType)\(size)]"
            case "resource_link":
                return "[link: \(part["name"]?.string ?? "?") \(part["uri"]?.string ?? "?")]"
            default:
                return "[\(type)]"
            }
        }.joined(separator: "\n")
    }

    /// The size of base64 `data` once decoded, without decoding it.
    private static func decodedSize(_ base64: String) -> Int {
        let padding = base64.utf8.suffix(2).filter { $0 == UInt8(ascii: "=") }.count
        return max(0, base64.utf8.count / 4 * 3 - padding)
    }
}
