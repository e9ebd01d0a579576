import ArgumentParser
import ParleyCore
import ParleyStore

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List saved conversations, newest activity first.",
        discussion:
            "Each line: id, last activity, message count, status, title. Ids may be shortened to any unique prefix.")

    func run() async throws {
        let store = try ConversationStore.openForReading()
        let summaries: [ConversationSummary]
        do {
            summaries = try await store.conversations()
        } catch {
            throw CommandFailure(error)
        }
        guard !summaries.isEmpty else {
            Console.error("No conversations yet. Start one with `parley ask \"…\"`.\n")
            return
        }
        for summary in summaries {
            let conversation = summary.conversation
            let count = "\(summary.messageCount) msg" + (summary.messageCount == 1 ? " " : "s")
            let status = Self.label(summary.status)
            Console.output(
                "\(conversation.id)  \(conversation.updatedAt.shown)  \(count.leftPadded(to: 8))  "
                    + "\(status.rightPadded(to: 11))  \(conversation.title)\n")
        }
    }

    static func label(_ status: ConversationSummary.Status) -> String {
        switch status {
        case .idle: ""
        case .live: "streaming"
        case .failed: "✗ failed"
        case .interrupted: "interrupted"
        case .cancelled: "cancelled"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
    func rightPadded(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
