import AsyncHTTPClient
import NIOCore
import ParleyCore
import Synchronization

/// Sends provider requests over HTTP and streams their replies through a `ReplyDecoder`,
/// with timeouts, retries before anything is shown, cancellation and metrics. One transport
/// serves any number of concurrent replies.
///
/// It brings its own HTTP client rather than taking one: the connect timeout lives in a
/// client's configuration, and so does the rest of what streaming needs (no client-side
/// retries, redirects or tracing, no read timeout, bounded decompression, enough connections
/// per host).
public struct ProviderTransport: Sendable {
    public var timeouts: TransportTimeouts
    public var retry: RetryPolicy
    private let clock: any Clock<Duration>

    /// - Parameter clock: measures timeouts, backoff and metrics.
    public init(
        timeouts: TransportTimeouts = TransportTimeouts(), retry: RetryPolicy = RetryPolicy(),
        clock: any Clock<Duration> = ReplyClock()
    ) {
        self.timeouts = timeouts
        self.retry = retry
        self.clock = clock
    }

    /// The reply to `request`, sent when it is run (`ReplyStream.run(into:)`), decoded by (a fresh
    /// copy per try of) `decoder`; `target` names the provider in errors. When the model refuses the
    /// reasoning setting (or `reasoningCheck`, asked first, says it cannot reason), the reply is
    /// asked for once more as `withoutReasoning`.
    public func stream(
        _ request: ProviderRequest, withoutReasoning: ProviderRequest? = nil, reasoningCheck: ReasoningCheck? = nil,
        decoder: ReplyDecoder, target: ReplyTarget
    ) -> ReplyStream {
        let control = ReplyControl()
        let client = Self.client(connectTimeout: timeouts.connect)
        func start<C: Clock<Duration>>(on clock: C) -> @Sendable (any ReplyReceiver) -> Task<Void, Never> {
            Self.start(
                clock: clock, client: client, request: request, withoutReasoning: withoutReasoning,
                reasoningCheck: reasoningCheck, decoder: decoder, target: target, timeouts: timeouts, retry: retry,
                control: control)
        }
        // Every reply but a test's runs on `ReplyClock`: named, the session's body loop and watchdog
        // are specialized for it, where opened generically each piece of the body paid for runtime
        // look-ups of their generic types.
        return ReplyStream(control: control, start: (clock as? ReplyClock).map(start) ?? start(on: clock))
    }

    /// Opens the clock existential, so the session can store and compare its instants.
    private static func start<C: Clock<Duration>>(
        clock: C, client: HTTPClient, request: ProviderRequest, withoutReasoning: ProviderRequest?,
        reasoningCheck: ReasoningCheck?, decoder: ReplyDecoder, target: ReplyTarget, timeouts: TransportTimeouts,
        retry: RetryPolicy, control: ReplyControl
    ) -> @Sendable (any ReplyReceiver) -> Task<Void, Never> {
        { receiver in
            let session = ReplySession(
                clock: clock, client: client, request: request, withoutReasoning: withoutReasoning,
                reasoningCheck: reasoningCheck, decoder: decoder, target: target, timeouts: timeouts, retry: retry,
                control: control, output: receiver)
            return Task(executorPreference: ReplyThread.shared) { await session.run() }
        }
    }

    /// One client per connect timeout, for the life of the process (never shut down, like
    /// `HTTPClient.shared`), shared by every transport so that connections and their TLS
    /// sessions are reused from one reply to the next. A process has one or two timeouts: a list,
    /// not a dictionary keyed by `Duration`, whose first use made the runtime search all of its
    /// conformance records for `Duration: Hashable` at every `parley ask`.
    private static let clients = Mutex<[(connectTimeout: Duration, client: HTTPClient)]>([])

    /// The most a compressed body may inflate to: far beyond any reply a model writes (a
    /// streamed reply of 100,000 tokens is about 30 MB of events).
    static let decompressedLimit = 64 << 20

    static func client(connectTimeout: Duration) -> HTTPClient {
        clients.withLock { clients in
            if let made = clients.first(where: { $0.connectTimeout == connectTimeout }) { return made.client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = HTTPClient.Configuration.Timeout(connect: TimeAmount(connectTimeout))
            // Retrying is ours to decide (and report); the client's own retries would hide a
            // refused connection until the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            // A local server needs one HTTP/1.1 connection per concurrent reply; eight, the
            // default, would queue the ninth conversation behind the others.
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
            // A gzip or deflate body is inflated piece by piece as it arrives, so deltas still
            // come as they are written; the limit bounds what a small body may inflate to.
            // (No read timeout: the watchdog owns idle time.)
            configuration.decompression = .enabled(limit: .size(decompressedLimit))
            // Redirects are followed (or not) by `HTTPClient.send`, which keeps keys at home.
            configuration.redirectConfiguration = .disallow
            // Parley records no traces. The client's default, the process's bootstrapped tracer (a
            // no-op one), still opened and closed a span for every request, and its first request
            // searched the runtime's conformance records six times (about 2.6 M instructions).
            configuration.tracing.tracer = nil
            let client = HTTPClient(eventLoopGroup: ReplyThread.shared.group, configuration: configuration)
            clients.append((connectTimeout, client))
            return client
        }
    }
}
