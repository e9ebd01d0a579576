/// How large attachments may be: each file, and all of a message's together. The defaults fit the
/// providers' own request limits (OpenAI takes images up to 20 MB, Anthropic requests up to 32 MB).
public struct AttachmentLimits: Equatable, Sendable {
    public var fileBytes: Int
    public var messageBytes: Int

    public static let megabyte = 1024 * 1024
    public static let standard = AttachmentLimits(fileBytes: 20 * megabyte, messageBytes: 32 * megabyte)

    public init(fileBytes: Int, messageBytes: Int) {
        self.fileBytes = fileBytes
        self.messageBytes = messageBytes
    }
}

/// Why a file cannot be attached, said before anything is sent.
public enum AttachmentProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case folder(String)
    case unreadable(String, reason: String)
    case empty(String)
    /// Neither text, an image nor a PDF.
    case binary(String)
    case fileTooLarge(String, size: Int, limit: Int)
    case messageTooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such file"
        case .folder(let path): "\(path) is a folder: attach the files in it one by one"
        case .unreadable(let path, let reason): "\(path) cannot be read: \(reason)"
        case .empty(let name): "\(name) is empty: there is nothing to attach"
        case .binary(let name):
            "\(name) is neither text, an image (PNG, JPEG, GIF, WebP) nor a PDF: models cannot read it"
        case .fileTooLarge(let name, let size, let limit):
            "\(name) is \(Attachment.sizeText(size)), over the \(Attachment.sizeText(limit)) a file may be "
                + "(max_file_mb under [attachments] in the config)"
        case .messageTooLarge(let size, let limit):
            "the attachments come to \(Attachment.sizeText(size)), over the \(Attachment.sizeText(limit)) a message "
                + "may carry (max_message_mb under [attachments] in the config)"
        }
    }
}

extension Attachment {
    /// `bytes` as an attachment named `name`, its kind told by its content (a PNG named `.txt` is
    /// an image; a text file named `.png` is text), or why it cannot be one.
    public static func checked(name: String, bytes: [UInt8], limits: AttachmentLimits = .standard)
        throws(AttachmentProblem) -> Attachment
    {
        guard !bytes.isEmpty else { throw .empty(name) }
        guard bytes.count <= limits.fileBytes else {
            throw .fileTooLarge(name, size: bytes.count, limit: limits.fileBytes)
        }
        guard let kind = Kind(sniffing: bytes) else { throw .binary(name) }
        return Attachment(name: name, kind: kind, bytes: bytes)
    }

    /// Whether `attachments` fit in one message, each already checked on its own.
    public static func checkTogether(_ attachments: [Attachment], limits: AttachmentLimits = .standard)
        throws(AttachmentProblem)
    {
        let total = attachments.reduce(0) { $0 + $1.size }
        guard total <= limits.messageBytes else { throw .messageTooLarge(size: total, limit: limits.messageBytes) }
    }
}

extension Attachment.Kind {
    /// The kind the content says, by the formats' signatures, or text when it is valid UTF-8 with
    /// no NUL byte; nil for anything else.
    public init?(sniffing bytes: [UInt8]) {
        func starts(with signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .image(.png)
        } else if starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .image(.jpeg)
        } else if starts(with: Array("GIF87a".utf8)) || starts(with: Array("GIF89a".utf8)) {
            self = .image(.gif)
        } else if starts(with: Array("RIFF".utf8)), starts(with: Array("WEBP".utf8), at: 8) {
            self = .image(.webp)
        } else if starts(with: Array("%PDF-".utf8)) {
            self = .pdf
        } else if !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil {
            self = .text
        } else {
            return nil
        }
    }
}
