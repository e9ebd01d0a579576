import Foundation
import HTTPTypes
import Hummingbird
import ParleyCore
import ParleyProviders

extension RelayServer {
    /// `POST /v1/chat/completions`: the request read and routed, one reply started through Parley's
    /// transport, and its events relayed as they are decoded (or gathered, for a whole completion).
    /// A reply that fails before anything of it came is the response's status (a 429 stays a 429,
    /// with its Retry-After); once a stream has begun, a failure is its last event.
    func complete(_ request: Request) async -> Response {
        let elapsed = settings.stopwatch()
        var record = RequestLog(method: "POST", path: "/v1/chat/completions", status: 200, duration: .zero)
        do throws(RelayError) {
            var request = request
            try authorize(request)
            let asked = try CompletionRequest.parse(Array(try await body(of: &request).readableBytesView))
            record.model = asked.model
            let route = try await directory.route(asked.model)
            guard replies.take() else { throw .busy(limit: replies.limit) }
            let chat = route.request(for: asked.chat)
            let reply = ReplyRun(
                stream: route.choice.startReply(chat, transport: settings.transport), keepAlive: settings.keepAlive,
                clock: settings.clock, replies: replies, keeping: save != nil)
            let saving = Saving(route: route, chat: chat, elapsed: elapsed, save: save)
            let id = "chatcmpl-" + UUID().uuidString.replacing("-", with: "").lowercased()
            let created = Int(Date().timeIntervalSince1970)
            let first = await reply.pipe.next()
            if case .updates(let updates) = first, let failure = ReplyRun.failureBeforeContent(updates) {
                reply.end()
                throw failure
            }
            if asked.stream {
                let chunks = CompletionChunks(
                    id: id, created: created, model: asked.model, includeUsage: asked.includeUsage)
                return streamed(reply, first: first, chunks: chunks, request: request, record: record, saving: saving)
            }
            let document = await whole(
                reply, first: first, into: CompletionDocument(id: id, created: created, model: asked.model),
                request: request)
            await saving.save(reply)
            record.usage = document.usage
            if let failure = document.failure { throw failure }
            record.duration = elapsed()
            log(record)
            // The connection was watched for the client going away, which ends it with the response:
            // said, so that a client does not send its next request on it.
            return Response.json(document.json, headers: [.connection: "close"])
        } catch {
            record.status = error.status
            record.duration = elapsed()
            log(record)
            return error.response
        }
    }

    /// The request's body, up to the size limit.
    private func body(of request: inout Request) async throws(RelayError) -> ByteBuffer {
        let limit = settings.maxRequestBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw .tooLarge(limit: limit)
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw .tooLarge(limit: limit)
        }
    }

    /// A streamed completion: SSE chunks written as each piece of the reply arrives, keep-alive
    /// comments while it is silent; the client going away cancels the reply at once, and a write
    /// that fails (the client is gone) ends it too.
    private func streamed(
        _ reply: ReplyRun, first: ReplyPipe.Item, chunks: CompletionChunks, request: Request, record: RequestLog,
        saving: Saving
    ) -> Response {
        let elapsed = settings.stopwatch()
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"],
            body: ResponseBody { [log] writer in
                var chunks = chunks
                var record = record
                defer {
                    reply.end()
                    record.duration = elapsed()
                    log(record)
                }
                var failure: (any Error)?
                do {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        var item = first
                        var wroteSinceTick = false
                        while true {
                            switch item {
                            case .tick:
                                if !wroteSinceTick { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                                wroteSinceTick = false
                            case .cancelled:
                                // Past the backstop after the grace period: the connection goes as it is.
                                return
                            case .updates(let updates):
                                var text = ""
                                if reply.stoppedForShutdown, !chunks.failed {
                                    text = chunks.fail(.shuttingDown).joined()
                                    record.ended = RelayError.shuttingDown.code
                                }
                                for case .event(let event) in updates {
                                    text += chunks.events(for: event).joined()
                                    record.note(event)
                                }
                                if !text.isEmpty {
                                    try await writer.write(ByteBuffer(string: text))
                                    wroteSinceTick = true
                                }
                                reply.keep(updates)
                                reply.pipe.written()
                                if updates.contains(where: { if case .finished = $0 { true } else { false } }) {
                                    try await writer.finish(nil)
                                    return
                                }
                            }
                            item = await reply.pipe.next()
                        }
                    } onInboundClosed: {
                        reply.stream.cancel()
                    }
                } catch {
                    // The client is gone (a write failed): so is the reply.
                    failure = error
                }
                reply.end()
                await saving.save(reply)
                if let failure { throw failure }
            })
    }

    /// A whole completion: every event gathered into `document`; the client going away cancels
    /// the reply.
    private func whole(_ reply: ReplyRun, first: ReplyPipe.Item, into document: CompletionDocument, request: Request)
        async -> CompletionDocument
    {
        defer { reply.end() }
        let gathered = try? await request.body.consumeWithInboundCloseHandler { _ in
            var document = document
            var item = first
            while true {
                switch item {
                case .tick: break
                case .cancelled:
                    document.add(.stop(StopReason(.cancelled)))
                    return document
                case .updates(let updates):
                    for case .event(let event) in updates { document.add(event) }
                    reply.keep(updates)
                    reply.pipe.written()
                    if updates.contains(where: { if case .finished = $0 { true } else { false } }) { return document }
                }
                item = await reply.pipe.next()
            }
        } onInboundClosed: {
            reply.stream.cancel()
        }
        guard let gathered else {
            var cancelled = document
            cancelled.add(.stop(StopReason(.cancelled)))
            return cancelled
        }
        return gathered
    }
}

extension RequestLog {
    /// Keeps what the log says of a stream: its usage, and how it ended when not whole.
    mutating func note(_ event: StreamEvent) {
        switch event {
        case .usage(let reported): usage = reported
        case .error(let failure): ended = ended ?? failure.kind.rawValue
        case .stop(let reason) where reason.kind == .cancelled: ended = ended ?? "cancelled"
        default: break
        }
    }
}

/// What `--save` needs of a reply besides its events, and the saving itself.
struct Saving: Sendable {
    let route: RelayRoute
    let chat: ChatRequest
    let elapsed: @Sendable () -> Duration
    let save: (@Sendable (RelayedReply) async -> Void)?

    /// Saves the reply when the relay saves replies (and it got as far as having events).
    func save(_ reply: ReplyRun) async {
        guard let save, var events = reply.events, !events.isEmpty else { return }
        // A reply its client left before the end was not read to its stop: it was cancelled.
        if !events.contains(where: { if case .stop = $0 { true } else { false } }) {
            events.append(.stop(StopReason(.cancelled)))
        }
        await save(RelayedReply(route: route, chat: chat, events: events, duration: elapsed()))
    }
}
