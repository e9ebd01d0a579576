import ParleyCore
import ParleyProviders
import ParleyStreaming

/// `parley ask --compare`: one prompt to several models, their replies streaming at once as
/// sessions of one service. With `--events` every line goes out as it comes, tagged with its
/// model; otherwise each reply is shown whole, one after another with its footer: the first as it
/// streams, each next one held until the one before it has ended, then live.
struct AskComparison {
    struct Column {
        let choice: ProviderChoice
        let start: StreamStart
        var printer: AskPrinter
        /// The stop the reply reported, shown with its end (which may say why it stopped).
        var stop: StopReason?
        var ended = false
    }

    let service: StreamingService
    let transport: ProviderTransport
    var turn: AskTurn
    private(set) var columns: [Column]

    init(service: StreamingService, transport: ProviderTransport, turn: AskTurn, columns: [Column]) {
        self.service = service
        self.transport = transport
        self.turn = turn
        self.columns = columns
        for index in columns.indices {
            self.columns[index].printer.tagsModel = true
            if index > 0, self.columns[index].printer.mode != .events {
                self.columns[index].printer.out = AskOutput(live: false)
            }
            if self.columns[index].printer.mode != .events {
                self.columns[index].printer.out.error(Self.heading(columns[index].choice))
            }
        }
    }

    /// The worst of the replies' exit codes: 130 when the user stopped them, 1 when one failed.
    var exitCode: Int32 {
        let codes = columns.map(\.printer.exitCode)
        return codes.contains(130) ? 130 : codes.max() ?? 0
    }

    /// Streams every reply; returns once all of them are over and shown.
    mutating func run(interrupted: Interruption) async {
        for column in columns {
            let model = column.choice.model
            service.start(
                column.start.sessionID, conversation: turn.conversationID,
                reply: column.choice.startReply(column.start.request, transport: transport)
            ) { error, attempt, delay in
                Console.error("\(model): " + AskPrinter.retryNotice(error, attempt: attempt, delay: delay))
            }
        }
        let sessions = columns.map(\.start.sessionID)
        interrupted.stopping { [service] in
            for session in sessions { service.cancel(session) }
        }
        var live = 0
        for await update in service.updates {
            switch update {
            case .batch(let session, let batch):
                guard let index = columns.firstIndex(where: { $0.start.sessionID == session }) else { continue }
                for event in batch.events {
                    if case .stop(let reason) = event {
                        columns[index].stop = reason
                        continue
                    }
                    columns[index].printer.show(event)
                }
                await turn.received(batch, in: session)
            case .ended(let session, let end):
                guard let index = columns.firstIndex(where: { $0.start.sessionID == session }) else { continue }
                let stop = AskReply.stop(columns[index].stop, endedBy: end, printer: &columns[index].printer)
                if let stop { columns[index].printer.show(.stop(stop)) }
                await turn.ended(end, in: session)
                if turn.notSavedBecause != nil || turn.deletedElsewhere { columns[index].printer.savedAs = nil }
                if let error = columns[index].printer.error {
                    ReplyLog.failed(
                        error, provider: columns[index].choice.preset.name, model: columns[index].choice.model)
                }
                columns[index].printer.finish(end.metrics)
                columns[index].ended = true
                // The next reply in line shows what it held, and streams live from now on.
                while live < columns.count, columns[live].ended {
                    live += 1
                    if live < columns.count { columns[live].printer.out.release() }
                }
                if live == columns.count { return warnIfNotSaved() }
            }
        }
    }

    private func warnIfNotSaved() {
        if let problem = turn.notSavedBecause { Console.error("warning: this turn was not saved: \(problem)\n") }
    }

    /// What stands above each reply on standard error: which model it is.
    static func heading(_ choice: ProviderChoice) -> String {
        "── \(choice.model) · \(choice.label) ──\n"
    }
}
