import HTTPTypes
import Hummingbird
import Logging
import ParleyCore
import ParleyProviders
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `parley serve`: OpenAI's Chat Completions API in front of every provider Parley speaks, over
/// Parley's own transport (`ProviderChoice.startReply`). `POST /v1/chat/completions` (streamed
/// or whole) and `GET /v1/models`; anything else is a 404 in OpenAI's shape.
public struct RelayServer: Sendable {
    public let settings: RelaySettings
    public let directory: RelayDirectory
    /// Takes each request's log line (the command writes it to standard error).
    let log: @Sendable (RequestLog) -> Void
    /// Keeps each reply once it has ended (`--save`); nil keeps nothing.
    let save: (@Sendable (RelayedReply) async -> Void)?
    let replies: RunningReplies

    public init(
        settings: RelaySettings, directory: RelayDirectory, save: (@Sendable (RelayedReply) async -> Void)? = nil,
        log: @escaping @Sendable (RequestLog) -> Void
    ) {
        self.settings = settings
        self.directory = directory
        self.save = save
        self.log = log
        replies = RunningReplies(limit: settings.maxReplies)
    }

    /// Listens until one of `signals` arrives (then stops accepting, lets running replies go on for
    /// the grace period and cancels those left) or the task is cancelled. `listening` is told the
    /// port once connections are accepted.
    public func run(
        signals: [UnixSignal] = [.sigterm, .sigint], listening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let quiet = Logger(label: "parley-relay") { _ in SwiftLogNoOpLogHandler() }
        let application = Application(
            router: router(), configuration: .init(address: .hostname(settings.host, port: settings.port)),
            onServerRunning: { channel in await listening(channel.localAddress?.port ?? settings.port) },
            logger: quiet)
        let service = RelayService(
            application: application, grace: settings.grace, clock: settings.clock, replies: replies)
        var group = ServiceGroupConfiguration(services: [service], gracefulShutdownSignals: signals, logger: quiet)
        // Only a backstop: the replies left when the grace period is over are stopped by
        // `RelayService`, each with an error event its client can read.
        group.maximumGracefulShutdownDuration = settings.grace + .seconds(10)
        try await ServiceGroup(configuration: group).run()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.addMiddleware { UnknownRouteMiddleware(log: log, settings: settings) }
        router.post("/v1/chat/completions") { request, _ in await complete(request) }
        router.get("/v1/models") { request, _ in await models(request) }
        return router
    }

    /// The request's bearer token against the relay's; compared in time that does not depend on
    /// where they differ.
    func authorize(_ request: Request) throws(RelayError) {
        guard let token = settings.token else { return }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw .missingToken
        }
        let sent = Array(header.dropFirst("bearer ".count).utf8)
        let expected = Array(token.utf8)
        var difference = sent.count == expected.count ? 0 : 1
        for index in 0..<min(sent.count, expected.count) { difference |= Int(sent[index] ^ expected[index]) }
        if difference != 0 { throw .wrongToken }
    }

    func models(_ request: Request) async -> Response {
        let elapsed = settings.stopwatch()
        var status = 200
        defer { log(RequestLog(method: "GET", path: "/v1/models", status: status, duration: elapsed())) }
        do throws(RelayError) {
            try authorize(request)
        } catch {
            status = error.status
            return error.response
        }
        let models = await directory.models(timeout: settings.transport.timeouts.firstByte)
        return Response.json(["object": "list", "data": .array(models.map(\.json))])
    }
}

/// Any other URL or method: a 404 in OpenAI's shape, logged like any request.
struct UnknownRouteMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let log: @Sendable (RequestLog) -> Void
    let settings: RelaySettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let elapsed = settings.stopwatch()
        do {
            return try await next(request, context)
        } catch {
            let failure = RelayError.notFound
            log(
                RequestLog(
                    method: request.method.rawValue, path: request.uri.path, status: failure.status,
                    duration: elapsed()))
            return failure.response
        }
    }
}

extension Response {
    static func json(_ value: JSON, status: Int = 200, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
    }
}

extension RelayError {
    var response: Response {
        var headers: HTTPFields = [:]
        if let retryAfterHeader { headers[.retryAfter] = retryAfterHeader }
        return Response.json(object, status: status, headers: headers)
    }
}
