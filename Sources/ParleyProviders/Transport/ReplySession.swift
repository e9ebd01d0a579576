import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import ParleyCore

/// One reply, from the first request to `finished`: each try streams the body through a fresh
/// copy of the decoder, and a try that failed before showing anything may be repeated.
///
/// Events are held back until the first text, thinking or tool call, so a try that fails
/// first (a 429, a refused connection, an overloaded event at the head of a 200 stream) can
/// be discarded whole and tried again without the consumer having seen a false start. A
/// successful response whose body arrived whole is never tried again: the server said all it
/// would, and asking again may cost the user another reply.
///
/// Whatever a server says back reaches the consumer with the request's secrets taken out
/// (`Redaction`): an error that echoes the key is shown, logged and saved without it.
struct ReplySession<C: Clock<Duration>>: Sendable {
    let clock: C
    let client: HTTPClient
    var request: ProviderRequest
    /// The same request without the reasoning setting the user chose, sent (once) when the model
    /// refuses that setting; nil when there is nothing to leave out.
    var withoutReasoning: ProviderRequest?
    /// Asked before the first try, when the format can tell whether the model reasons at all.
    var reasoningCheck: ReasoningCheck?
    let decoder: ReplyDecoder
    let target: ReplyTarget
    let timeouts: TransportTimeouts
    let retry: RetryPolicy
    let control: ReplyControl
    let output: any ReplyReceiver

    /// The most of a failed response's body that is read to explain the failure.
    static var errorBodyLimit: Int { 64 * 1024 }

    func run() async {
        if let reasoningCheck {
            var checked = self
            checked.reasoningCheck = nil
            switch await check(reasoningCheck) {
            case .refused(let refusal): return await withoutReasoning(refusedBy: refusal)
            case .instead(let withThoughts):
                // Asked as it was, should the model refuse even that.
                checked.withoutReasoning = withoutReasoning ?? request
                checked.request = withThoughts
            case .asIs: break
            }
            return await checked.run()
        }
        var attempt = 1
        while true {
            let result = await self.attempt()
            if !result.shown, !result.answeredWhole, control.cause == nil, withoutReasoning != nil,
                let failure = result.failure, failure.refusesReasoning
            {
                return await withoutReasoning(refusedBy: failure)
            }
            if !result.shown, !result.answeredWhole, let failure = result.failure, control.cause == nil,
                let delay = retry.delay(after: attempt, failure: failure, jitter: .random(in: 0...1))
            {
                output.receive([.retrying(failure, attempt: attempt, delay: delay)])
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    var decoder = self.decoder
                    finish(
                        held: decoder.end(by: control.cause ?? .cancelled), metrics: result.metrics, attempts: attempt)
                    return
                }
                attempt += 1
                continue
            }
            finish(held: result.held, metrics: result.metrics, attempts: attempt)
            return
        }
    }

    /// The one more try a refusal of the reasoning setting earns: said first, then asked without it.
    private func withoutReasoning(refusedBy refusal: ProviderError) async {
        output.receive([.event(redaction.apply(.reasoningRefused(refusal)))])
        // As after any piece: the receiver sees the notice out (its batch window) before the next try.
        await output.readyForMore()
        var again = self
        again.request = withoutReasoning ?? request
        again.withoutReasoning = nil
        again.reasoningCheck = nil
        await again.run()
    }

    /// What the server's answer to `check` means for the request. No answer in time, or an error,
    /// says nothing: the reply is asked for as it is, and a refusal then is handled as any other.
    private func check(_ check: ReasoningCheck) async -> ReasoningCheck.Outcome {
        guard
            let (status, answer) = try? await ModelCatalog.fetch(
                check.request, target: target, timeout: timeouts.firstByte, clock: clock),
            (200..<300).contains(status)
        else { return .asIs }
        return check.outcome(answer)
    }

    private func finish(held: [StreamEvent], metrics: ReplyMetrics, attempts: Int) {
        var metrics = metrics
        metrics.attempts = attempts
        output.receive(held.map { .event(redaction.apply($0)) } + [.finished(metrics)])
    }

    /// One try: its events are delivered (or held, while nothing is shown) as they come.
    private func attempt() async -> Delivery {
        var decoder = self.decoder
        var delivery = Delivery(output: output, clock: clock, redaction: redaction)
        guard let server = ServerAddress(url: request.url) else {
            let failure = ProviderError(.invalidRequest, "\"\(request.url)\" is not an http:// or https:// URL")
            delivery.deliver(decoder.fail(failure))
            return delivery
        }
        let watchdog = Watchdog(clock: clock, timeouts: timeouts, host: server.host)
        let watching = Task { await watchdog.watch(control) }
        defer {
            watchdog.disarm()
            watching.cancel()
        }
        await exchange(with: server, decoder: &decoder, delivery: &delivery, watchdog: watchdog)
        delivery.metrics.duration = delivery.started.duration(to: clock.now)
        return delivery
    }

    private func exchange(
        with server: ServerAddress, decoder: inout ReplyDecoder, delivery: inout Delivery, watchdog: Watchdog<C>
    ) async {
        do {
            let response = try await client.send(request, target: target)
            guard (200..<300).contains(response.status.code) else {
                let body = await readErrorBody(response.body, delivery: &delivery, watchdog: watchdog)
                let failure = ProviderError.httpStatus(
                    response.status, headers: response.headers, body: body, target: target)
                delivery.deliver(control.cause == .cancelled ? decoder.cancel() : decoder.fail(failure))
                return
            }
            decoder.contentType = response.headers.first(name: "content-type")
            while let part = try await response.body.next(caughtUp: output.caughtUp) {
                // The receiver may hold the piece until its batch window ends: not the server stalling.
                watchdog.pause()
                await output.pieceArrived()
                watchdog.bodyArrived()
                delivery.count(part)
                delivery.deliver(decoder.decode(part.readableBytesView))
                // The reply is complete (or broken): stop reading, which closes the connection.
                if decoder.isEnded { return }
                // The receiver paces the reading (see `ReplyReceiver`): until it is ready, the next
                // piece is not asked for, so the socket is not read and what the server sends waits
                // there. That wait is not the server stalling: the idle timeout starts afresh after it.
                watchdog.pause()
                await output.readyForMore()
                watchdog.resume()
                // Stopped while waiting (a cancel, or a time limit): stop reading.
                if control.cause != nil { break }
            }
            if let cause = control.cause {
                delivery.deliver(decoder.end(by: cause))
            } else {
                delivery.answeredWhole = true
                delivery.deliver(decoder.finish())
            }
        } catch {
            if let cause = control.cause {
                delivery.deliver(decoder.end(by: cause))
            } else if let failure = error as? ProviderError {
                delivery.deliver(decoder.fail(failure))
            } else {
                let bodyStarted = delivery.metrics.chunks > 0
                let failure = ProviderError.transport(
                    error, server: server, timeouts: timeouts, bodyStarted: bodyStarted)
                delivery.deliver(decoder.fail(failure))
            }
        }
    }

    /// The start of a failed response's body, enough to explain the failure; a body that
    /// breaks off is explained by what arrived.
    private func readErrorBody(
        _ body: ResponseBody, delivery: inout Delivery, watchdog: Watchdog<C>
    ) async -> [UInt8] {
        var collected: [UInt8] = []
        do {
            for try await part in body {
                watchdog.bodyArrived()
                delivery.count(part)
                collected += part.readableBytesView.prefix(Self.errorBodyLimit - collected.count)
                if collected.count >= Self.errorBodyLimit { break }
            }
        } catch {
            // What arrived is the explanation there is.
        }
        return collected
    }

    private var redaction: Redaction { Redaction(request) }
}
