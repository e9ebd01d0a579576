import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore
import ParleyTUI

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Tokens and cost of saved replies, by model, day or conversation.",
        discussion: """
            Costs are the provider's own figure where it states one (OpenRouter), else the reply's \
            usage at Parley's price table with the config's [prices] over it; models on your own \
            machine cost nothing ("local"). A reply whose cost is unknown (a model the table does not \
            price, a provider reached through another address, estimated usage) adds nothing and is \
            counted as without a price. Earlier versions of regenerated replies count: they were paid for.
            """)

    @Option(help: "How far back: 24h, 7d, 30d, 12w, or all.")
    var since = "30d"

    @Option(help: "Group by model, day or conversation.")
    var by: UsageStats.Grouping = .model

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let now = Timestamp.current
        guard let start = Self.start(since, now: now) else {
            throw CommandFailure.usage("--since \(since): give a number with h, d or w (24h, 7d, 12w), or all.")
        }
        let store = try ConversationStore.openForReading()
        let replies: [ReplyUsage]
        do {
            replies = try await store.replyUsage(since: start)
        } catch {
            throw CommandFailure(error)
        }
        let pricing = AppConfiguration.pricingForHistory(environment: ProcessEnvironment.variables)
        let (groups, total) = UsageStats.totals(replies, by: by, pricing: pricing) { String($0.shown.prefix(10)) }
        if json {
            Console.output(Self.json(groups, total: total, since: start, by: by).serialized() + "\n")
        } else if replies.isEmpty {
            Console.error("No replies with usage \(start == nil ? "saved" : "in the last \(since)").\n")
        } else {
            Console.output(Self.table(groups, total: total, by: by))
        }
    }

    /// When the period starts: `since` before `now`; nil for all.
    static func start(_ since: String, now: Timestamp) -> Timestamp?? {
        if since == "all" { return .some(nil) }
        guard let unit = since.last, let count = Int(since.dropLast()), count > 0 else { return nil }
        let hours: Int64
        switch unit {
        case "h": hours = 1
        case "d": hours = 24
        case "w": hours = 24 * 7
        default: return nil
        }
        return Timestamp(millisecondsSince1970: now.millisecondsSince1970 - Int64(count) * hours * 3_600_000)
    }

    static func table(_ groups: [UsageTotals], total: UsageTotals, by: UsageStats.Grouping) -> String {
        let rows = (groups + [total]).map { totals in
            [
                ControlPicture.oneLine(totals.key), Figures.grouped(totals.replies),
                Figures.grouped(totals.inputTokens), Figures.grouped(totals.cachedTokens),
                Figures.grouped(totals.outputTokens), totals.costText,
            ]
        }
        let header = [by.rawValue, "replies", "input", "cached", "output", "cost"]
        let widths = (0..<header.count).map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0 || column == cells.count - 1
                    ? cell.rightPadded(to: widths[column]) : cell.leftPadded(to: widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        return ([header] + rows).map(line).joined()
    }

    static func json(_ groups: [UsageTotals], total: UsageTotals, since: Timestamp?, by: UsageStats.Grouping) -> JSON {
        func object(_ totals: UsageTotals) -> JSON {
            [
                "key": .string(totals.key), "replies": .number(Double(totals.replies)),
                "input_tokens": .number(Double(totals.inputTokens)),
                "output_tokens": .number(Double(totals.outputTokens)),
                "reasoning_tokens": .number(Double(totals.reasoningTokens)),
                "cached_input_tokens": .number(Double(totals.cachedTokens)),
                "cache_write_tokens": .number(Double(totals.cacheWriteTokens)), "cost_usd": .number(totals.dollars),
                "unpriced_replies": .number(Double(totals.unpriced)), "local_replies": .number(Double(totals.local)),
            ]
        }
        return [
            "since_ms": since.map { .number(Double($0.millisecondsSince1970)) } ?? .null, "by": .string(by.rawValue),
            "groups": .array(groups.map(object)), "total": object(total),
        ]
    }
}

extension UsageStats.Grouping: ExpressibleByArgument {}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
