import Foundation
import GRDB
import ParleyCore

extension ConversationStore {
    /// Makes the message's links match its attachments, in order, adding each content the
    /// database does not hold yet. A content already there is left as it is: a user message is
    /// saved again at each status change, and its files must not be written again each time.
    /// Links past the last attachment go, and with them (by trigger) contents nothing else uses.
    static func saveAttachments(of message: Message, _ db: Database) throws {
        for (position, attachment) in message.attachments.enumerated() {
            let hash = attachment.sha256
            if try !AttachmentContentRecord.exists(db, key: hash) {
                try AttachmentContentRecord(
                    sha256: hash, mediaType: attachment.kind.mediaType, bytes: Data(attachment.bytes)
                ).insert(db)
            }
            try MessageAttachmentRecord(
                messageID: message.id.rawValue, position: Int64(position), name: attachment.name.stored, sha256: hash
            ).upsert(db)
        }
        try db.cachedStatement(sql: "DELETE FROM message_attachments WHERE message_id = ? AND position >= ?")
            .execute(arguments: [message.id.rawValue, message.attachments.count])
    }

    /// The attachments of every message of the conversation, by message id, each message's in
    /// order: one query for the whole conversation. A database opened to read is never migrated,
    /// so one from before attachments has none. A type no Parley writes means a damaged database.
    static func attachments(of id: ConversationID, _ db: Database, path: String) throws -> [String: [Attachment]] {
        guard try db.tableExists(MessageAttachmentRecord.databaseTableName) else { return [:] }
        let rows = try SavedAttachmentRow.fetchAll(
            db,
            sql: """
                SELECT a.message_id, a.name, c.media_type, c.bytes
                FROM message_attachments a
                JOIN messages m ON m.id = a.message_id
                JOIN attachment_contents c ON c.sha256 = a.sha256
                WHERE m.conversation_id = ?
                ORDER BY a.message_id, a.position
                """,
            arguments: [id.rawValue])
        var attachments: [String: [Attachment]] = [:]
        for row in rows {
            guard let attachment = row.attachment else {
                throw StoreError.damaged(
                    path: path, detail: "an attachment of message \(row.messageID) has type \(row.mediaType)")
            }
            attachments[row.messageID, default: []].append(attachment)
        }
        return attachments
    }
}
