import Crypto
import Foundation
import GRDB
import ParleyCore

/// One row of `attachment_contents`: a file's bytes and type, once per content however many
/// messages attach it.
struct AttachmentContentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "attachment_contents"

    var sha256: String
    var mediaType: String
    var bytes: Data

    enum CodingKeys: String, CodingKey {
        case sha256, bytes
        case mediaType = "media_type"
    }
}

/// One row of `message_attachments`: the file a message carries at `position`, by the name it was
/// attached with and its content's hash.
struct MessageAttachmentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "message_attachments"

    var messageID: String
    var position: Int64
    var name: StoredText
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case position, name, sha256
        case messageID = "message_id"
    }
}

/// A link read back together with its content: what `transcript(of:)` turns into attachments.
struct SavedAttachmentRow: Decodable, FetchableRecord {
    var messageID: String
    var name: StoredText
    var mediaType: String
    var bytes: Data

    enum CodingKeys: String, CodingKey {
        case name, bytes
        case messageID = "message_id", mediaType = "media_type"
    }

    /// The attachment, or nil when its type is one no Parley writes.
    var attachment: Attachment? {
        Attachment.Kind(mediaType: mediaType).map { Attachment(name: name.string, kind: $0, bytes: Array(bytes)) }
    }
}

extension Attachment {
    /// The SHA-256 of the bytes in lowercase hex: the key the store keeps the content under, and
    /// how an export tells files apart. Hashed on each call.
    public var sha256: String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
