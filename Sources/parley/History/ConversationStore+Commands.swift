import Foundation
import ParleyCore
import ParleyStore

/// The saved conversations, as the commands reach them: at the usual place, their failures in
/// the commands' terms.
extension ConversationStore {
    /// To read and write: `parley ask`, `rm` and the app.
    static func open() throws(CommandFailure) -> ConversationStore {
        do {
            return try ConversationStore.open(at: try path())
        } catch {
            throw CommandFailure(error)
        }
    }

    /// To read only: `list`, `show`, `search` and `export` write nothing, so they work where
    /// nothing can be written (a read-only folder, a full disk).
    static func openForReading() throws(CommandFailure) -> ConversationStore {
        do {
            return try ConversationStore.openForReading(at: try path())
        } catch {
            throw CommandFailure(error)
        }
    }

    private static func path() throws(StoreError) -> String {
        try StoreLocation.databasePath(environment: ProcessEnvironment.variables)
    }

    /// The conversation whose id starts with `prefix`, with its messages.
    func transcript(matching prefix: String) async throws(CommandFailure) -> Transcript {
        do {
            let conversation = try await findConversation(prefix: prefix)
            return try await transcript(of: conversation.id)
        } catch {
            throw CommandFailure(error)
        }
    }
}

extension CommandFailure {
    /// An unknown or ambiguous id is the user's mistake (exit 2); the rest is the database's (exit 1).
    init(_ error: StoreError) {
        switch error {
        case .noSuchConversation, .ambiguousPrefix: self = .usage(error.description)
        default: self = .failed(error.description)
        }
    }
}

extension Timestamp {
    /// "2026-11-22 05:41" in local time, from components: `parley list` formats one per row, and
    /// building a DateFormatter for each is costly.
    var shown: String {
        let date = Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}
