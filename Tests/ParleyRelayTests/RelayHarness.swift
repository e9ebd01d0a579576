import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore
import ParleyProviders
import ParleyRelay
import ParleyTestSupport
import Synchronization

/// A relay on 127.0.0.1 (a free port) for one test: started, handed to the test, stopped. Its log
/// lines are kept for the test to read.
final class RelayUnderTest: Sendable {
    /// "http://127.0.0.1:PORT/v1", as a client's base URL.
    let baseURL: String
    private let lines = Mutex<[RequestLog]>([])

    private init(port: Int) {
        baseURL = "http://127.0.0.1:\(port)/v1"
    }

    var logs: [RequestLog] { lines.withLock { $0 } }

    /// Waits until `count` requests have been logged (a stream is logged when it has ended).
    func waitForLogs(_ count: Int) async -> Bool {
        await eventually { logs.count >= count }
    }

    static func serving<T>(
        _ directory: RelayDirectory, settings: RelaySettings = .forTests,
        save: (@Sendable (RelayedReply) async -> Void)? = nil, _ body: (RelayUnderTest) async throws -> T
    ) async throws -> T {
        var settings = settings
        settings.port = 0
        let relay = Mutex<RelayUnderTest?>(nil)
        let server = RelayServer(settings: settings, directory: directory, save: save) { line in
            relay.withLock { $0 }?.lines.withLock { $0.append(line) }
        }
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let running = Task {
            do {
                try await server.run(signals: []) { listening.yield($0) }
            } catch {
                listening.finish()
            }
        }
        var next = ports.makeAsyncIterator()
        guard let port = await next.next() else { throw RelayDidNotStart() }
        let started = RelayUnderTest(port: port)
        relay.withLock { $0 = started }
        do {
            let result = try await body(started)
            running.cancel()
            _ = await running.result
            return result
        } catch {
            running.cancel()
            _ = await running.result
            throw error
        }
    }

    struct RelayDidNotStart: Error {}
}

/// What a client gets back: the status, the headers, and the body as text.
struct RelayAnswer {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    var json: JSON { (try? JSON.parse(body)) ?? .null }

    /// The `data:` payloads of a server-sent event stream, in order (comments left out).
    var events: [String] {
        body.components(separatedBy: "\n\n").compactMap { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : nil
        }
    }

    /// The comment lines of the stream (`: keep-alive`).
    var comments: [String] { body.components(separatedBy: "\n\n").filter { $0.hasPrefix(":") } }
}

enum RelayClient {
    /// The client the tests speak to the relay with: `HTTPClient.shared` but for its 10 s connect
    /// timeout, which a loaded machine (the whole suite beside a build, every server of the suite on
    /// the same two event loops) was seen to exceed connecting to 127.0.0.1. Never shut down, as
    /// `shared` is not.
    static let patient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: patientConfiguration)

    static var patientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .hours(1))
        return configuration
    }

    /// POSTs `body` to the relay's chat completions and reads the whole answer.
    static func complete(
        _ relay: RelayUnderTest, _ body: JSON, token: String? = nil, client: HTTPClient = patient
    ) async throws -> RelayAnswer {
        let response = try await client.execute(request(relay, body, token: token), timeout: .hours(1))
        var text = ""
        for try await piece in response.body { text += String(buffer: piece) }
        return RelayAnswer(status: Int(response.status.code), headers: response.headers, body: text)
    }

    static func request(_ relay: RelayUnderTest, _ body: JSON, token: String? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: relay.baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: body.serialized()))
        return request
    }

    static func get(_ url: String, token: String? = nil) async throws -> RelayAnswer {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await patient.execute(request, timeout: .hours(1))
        var text = ""
        for try await piece in response.body { text += String(buffer: piece) }
        return RelayAnswer(status: Int(response.status.code), headers: response.headers, body: text)
    }

    /// A chat request for `model`: one question, streamed with the usage chunk unless told otherwise.
    static func question(_ model: String, stream: Bool = true) -> JSON {
        var body: JSONObject = [
            "model": .string(model), "messages": [["role": "user", "content": "Say hello"]], "stream": .bool(stream),
        ]
        if stream { body["stream_options"] = ["include_usage": true] }
        return .object(body)
    }
}

/// A streamed answer read as it arrives, on a client of its own, so a test can act mid-stream
/// (stop reading, hang up) and see what came so far.
final class StreamingRead: Sendable {
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: RelayClient.patientConfiguration)
    /// What arrived, and why the request failed if it did (so a wait ends with the reason, not at
    /// the suite's time limit).
    private let received = Mutex((status: 0, body: "", failure: String?.none))
    private let reading: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ relay: RelayUnderTest, _ body: JSON, token: String? = nil) {
        let request = RelayClient.request(relay, body, token: token)
        let task = Task { [self] in
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .hours(1))
            } catch {
                received.withLock { $0.failure = "\(error)" }
                return
            }
            received.withLock { $0.status = Int(response.status.code) }
            do {
                for try await piece in response.body { received.withLock { $0.body += String(buffer: piece) } }
            } catch {
                // Hung up by the test, or by the relay: what arrived is what the test looks at.
            }
        }
        reading.withLock { $0 = task }
    }

    /// A test that ended early (its time limit) still lets its client go as AsyncHTTPClient requires.
    deinit { client.shutdown { _ in } }

    var status: Int { received.withLock { $0.status } }
    var body: String { received.withLock { $0.body } }

    /// Why the request failed before an answer came, if it did.
    var failure: String? { received.withLock { $0.failure } }

    /// Waits until what arrived contains `text`; false at once if the request failed.
    func waitFor(_ text: String) async -> Bool {
        await eventually { body.contains(text) || failure != nil } && body.contains(text)
    }

    /// Waits until the answer has been read to its end.
    func finish() async {
        await reading.withLock { $0 }?.value
    }

    /// Hangs up: the connection is closed mid-stream, as a client that goes away closes it.
    func hangUp() async {
        reading.withLock { $0 }?.cancel()
        try? await client.shutdown()
    }
}

extension RelaySettings {
    /// The defaults but for keep-alives, which come only when a test drives its own clock: on a
    /// loaded machine 15 s may pass before a provider's 429 arrives, and the relay would already
    /// have begun the stream (200) to keep it alive.
    /// Its transport connects patiently for the same reason as `RelayClient.patient`.
    static var forTests: RelaySettings {
        RelaySettings(
            port: 0, keepAlive: .seconds(86_400),
            transport: ProviderTransport(
                timeouts: TransportTimeouts(connect: .seconds(3600)), retry: RetryPolicy(maxAttempts: 1)))
    }
}
