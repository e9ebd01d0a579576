/// A file a user's message carries to the model: its name as the user knows it, what it is (told
/// by its content), and its bytes.
public struct Attachment: Equatable, Sendable {
    public var name: String
    public var kind: Kind
    public var bytes: [UInt8]

    /// What a file is, as far as models are concerned: text goes as text (named and fenced), the
    /// rest as each API's own part.
    public enum Kind: Equatable, Sendable {
        case text
        case image(ImageType)
        case pdf

        /// The name a user knows the type by ("PNG", "PDF", "text").
        public var name: String {
            switch self {
            case .text: "text"
            case .image(let type): type.rawValue.uppercased()
            case .pdf: "PDF"
            }
        }

        public var mediaType: String {
            switch self {
            case .text: "text/plain"
            case .image(let type): "image/\(type.rawValue)"
            case .pdf: "application/pdf"
            }
        }

        /// The kind a media type names, for reading saved attachments back.
        public init?(mediaType: String) {
            switch mediaType {
            case "text/plain": self = .text
            case "application/pdf": self = .pdf
            default:
                guard mediaType.hasPrefix("image/"), let type = ImageType(rawValue: String(mediaType.dropFirst(6)))
                else { return nil }
                self = .image(type)
            }
        }
    }

    /// The image formats every API that takes images accepts.
    public enum ImageType: String, Equatable, Sendable, CaseIterable {
        case png, jpeg, gif, webp
    }

    public init(name: String, kind: Kind, bytes: [UInt8]) {
        self.name = name
        self.kind = kind
        self.bytes = bytes
    }

    public var size: Int { bytes.count }

    /// A text file's content (invalid UTF-8, which sniffing never lets through, shows as U+FFFD).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The file as the model reads it when it is text: named, and fenced with more backticks than
    /// any run inside it, so the file cannot end its own fence.
    public var fencedText: String {
        let content = text
        var longest = 0
        var run = 0
        for character in content.utf8 {
            run = character == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let newline = content.hasSuffix("\n") ? "" : "\n"
        return "\(name):\n\(fence)\n\(content)\(newline)\(fence)"
    }

    /// The size for people: "512 B", "12 KB", "3.4 MB".
    public static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return tenths < 100 ? "\(tenths / 10).\(tenths % 10) MB" : "\(tenths / 10) MB"
    }

    /// "notes.md · text · 2 KB": how a chip names the attachment.
    public var label: String { "\(name) · \(kind.name) · \(Self.sizeText(size))" }
}
