import Foundation
import ParleyCore
import ParleyStore

/// The saved conversations, as the commands reach them.
enum Library {
    /// To read and write: `parley ask`, `rm` and the app.
    static func open() throws(CommandFailure) -> ConversationRepository {
        do {
            return try ConversationRepository.open(at: try path())
        } catch {
            throw failure(error)
        }
    }

    /// To read only: `list`, `show`, `search` and `export` write nothing, so they work where
    /// nothing can be written (a read-only folder, a full disk).
    static func openForReading() throws(CommandFailure) -> ConversationRepository {
        do {
            return try ConversationRepository.openForReading(at: try path())
        } catch {
            throw failure(error)
        }
    }

    private static func path() throws(StoreError) -> String {
        try StoreLocation.databasePath(environment: ProcessInfo.processInfo.environment)
    }

    /// An unknown or ambiguous id is the user's mistake (exit 2); the rest is the database's (exit 1).
    static func failure(_ error: StoreError) -> CommandFailure {
        switch error {
        case .noSuchConversation, .ambiguousPrefix: .usage(error.description)
        default: .failed(error.description)
        }
    }

    static func transcript(_ prefix: String, in library: ConversationRepository) async throws(CommandFailure)
        -> Transcript
    {
        do {
            let conversation = try await library.findConversation(prefix: prefix)
            return try await library.transcript(of: conversation.id)
        } catch {
            throw failure(error)
        }
    }

    /// "2026-11-22 05:41" in local time, from components: `parley list` formats one per row, and
    /// building a DateFormatter for each is costly.
    static func date(_ timestamp: Timestamp) -> String {
        let date = Date(timeIntervalSince1970: Double(timestamp.millisecondsSince1970) / 1000)
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}
