import Foundation
import ParleyCore

extension ProviderError {
    /// A body that is not a provider's JSON error, cut down to what a person can read in one
    /// line: an HTML page's title (or its text without tags), whitespace and control characters
    /// collapsed, at most `limit` characters. Nil when nothing readable is left.
    static func excerpt(of body: [UInt8], limit: Int = 200) -> String? {
        var text = String(decoding: body, as: UTF8.self)
        if let title = text.range(of: "<title>", options: .caseInsensitive),
            let end = text.range(of: "</title>", options: .caseInsensitive, range: title.upperBound..<text.endIndex)
        {
            text = String(text[title.upperBound..<end.lowerBound])
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        let words = text.split {
            $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control }
        }
        let line = words.joined(separator: " ")
        guard !line.isEmpty else { return nil }
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }
}
