import Foundation
import MCP

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

    /// The protocol's parts as one text: images, audio and binary resources are described, not
    /// carried (`[image: image/png, 5120 bytes]`), since the text goes back to a model as text.
    static func text(of content: [Tool.Content]) -> String {
        content.map { part in
            switch part {
            case .text(let text, _, _):
                return text
            case .image(let data, let mimeType, _, _):
                return "[image: \(mimeType), \(decodedSize(data)) bytes]"
            case .audio(let data, let mimeType, _, _):
                return "[audio: \(mimeType), \(decodedSize(data)) bytes]"
            case .resource(let resource, _, _):
                if let text = resource.text { return text }
                let size = resource.blob.map { ", \(decodedSize($0)) bytes" } ?? ""
                return "[resource: \(resource.uri)\(resource.mimeType.map { ", " + $0 } ?? "")\(size)]"
            case .resourceLink(let uri, let name, _, _, _, _):
                return "[link: \(name) \(uri)]"
            }
        }.joined(separator: "\n")
    }

    /// The size of base64 `data` once decoded, without decoding it.
    private static func decodedSize(_ base64: String) -> Int {
        let padding = base64.utf8.suffix(2).filter { $0 == UInt8(ascii: "=") }.count
        return max(0, base64.utf8.count / 4 * 3 - padding)
    }
}
