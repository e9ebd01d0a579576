import ParleyCore
import ParleyProviders

/// How `parley serve` runs: where it listens, who may use it, and its limits.
public struct RelaySettings: Sendable {
    public var host: String
    /// 0 asks the system for a free port (tests); the one bound is reported when the relay listens.
    public var port: Int
    /// The bearer token clients must send; nil lets anyone who can connect in (loopback only).
    public var token: String?
    /// The largest request body taken: attachments travel inline, base64, so above Parley's 32 MB
    /// of attachments a message.
    public var maxRequestBytes: Int
    /// Replies relayed at once; one more is refused with 429.
    public var maxReplies: Int
    /// A comment line is sent when a stream has been silent this long (the model thinking), so
    /// proxies and clients do not take the connection for dead.
    public var keepAlive: Duration
    /// On SIGINT or SIGTERM, how long running replies may take to end before they are cancelled.
    public var grace: Duration
    /// How the relay reaches providers: Parley's own transport, without its retries (a relay
    /// passes a 429 or 503 on with its Retry-After and lets its client decide).
    public var transport: ProviderTransport
    /// Measures keep-alive intervals and request durations.
    public var clock: any Clock<Duration>

    public static let defaultPort = 8787

    public init(
        host: String = "127.0.0.1", port: Int = defaultPort, token: String? = nil,
        maxRequestBytes: Int = 48 * AttachmentLimits.megabyte, maxReplies: Int = 32,
        keepAlive: Duration = .seconds(15), grace: Duration = .seconds(10),
        transport: ProviderTransport = ProviderTransport(retry: RetryPolicy(maxAttempts: 1)),
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maxRequestBytes = maxRequestBytes
        self.maxReplies = maxReplies
        self.keepAlive = keepAlive
        self.grace = grace
        self.transport = transport
        self.clock = clock
    }

    /// Whether `host` reaches only this machine: anything else needs a token.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingPrefix("[").replacing("]", with: "")
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }

    /// The time since now, by `clock`, each time it is asked.
    func stopwatch() -> @Sendable () -> Duration { Self.stopwatch(clock) }

    private static func stopwatch<C: Clock<Duration>>(_ clock: C) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }
}
