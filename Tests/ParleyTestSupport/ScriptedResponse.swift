import ParleyProviders
import Synchronization

/// What the test server answers one request with: a status and headers, then a body played
/// step by step, so a test can reproduce how real servers misbehave (slow pieces, stalls,
/// hang-ups).
///
/// The head goes out with the first body bytes, or when the script ends; steps before any
/// bytes therefore happen before the headers: `[.stall]` never answers at all, `[.drop]`
/// hangs up without a response, and `.bytes([])` sends the headers alone.
public struct ScriptedResponse: Sendable {
    public enum Step: Sendable, Equatable {
        case bytes([UInt8])
        case pause(Duration)
        /// Hold the connection open and send nothing more (until the client or the server closes it).
        case stall
        /// Close the socket abruptly, without ending the body.
        case drop
        /// Send nothing more until the test opens the gate, then go on with the script.
        case wait(Gate)
    }

    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [Step]

    /// Without a Content-Length header, the body is sent with chunked transfer encoding.
    public init(status: Int = 200, headers: [HTTPHeader] = [], body: [Step] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `bytes` as a streamed body, cut into pieces of random sizes in `pieces` with `pause`
    /// between them, reproducibly for a given `seed`.
    public static func replay(
        _ bytes: [UInt8], pieces: ClosedRange<Int> = 1...64, pause: Duration = .milliseconds(1),
        seed: UInt64 = 1, status: Int = 200, contentType: String = "text/event-stream"
    ) -> ScriptedResponse {
        var generator = SeededGenerator(seed: seed)
        var steps: [Step] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: pieces, using: &generator))
            if !steps.isEmpty, pause > .zero { steps.append(.pause(pause)) }
            steps.append(.bytes(Array(bytes[start..<end])))
            start = end
        }
        return ScriptedResponse(status: status, headers: [HTTPHeader("Content-Type", contentType)], body: steps)
    }

    /// A whole body at once with its Content-Length, as APIs send error responses.
    public static func whole(
        _ body: String, status: Int = 200, contentType: String = "application/json", headers: [HTTPHeader] = []
    ) -> ScriptedResponse {
        let bytes = Array(body.utf8)
        return ScriptedResponse(
            status: status,
            headers: [HTTPHeader("Content-Type", contentType), HTTPHeader("Content-Length", "\(bytes.count)")]
                + headers,
            body: [.bytes(bytes)])
    }
}

extension ScriptedResponse {
    /// The same response, stopping before the step at each fraction of its body (in order) until
    /// the matching gate opens.
    public func held(at fractions: [Double], by gates: [Gate]) -> ScriptedResponse {
        precondition(fractions.count == gates.count && fractions == fractions.sorted())
        var held = self
        for (fraction, gate) in zip(fractions, gates).reversed() {
            held.body.insert(.wait(gate), at: Int(Double(body.count) * fraction))
        }
        return held
    }

    /// A redirect with `status` to `location`, and no body.
    public static func redirect(_ status: Int, to location: String) -> ScriptedResponse {
        ScriptedResponse(
            status: status, headers: [HTTPHeader("Location", location), HTTPHeader("Content-Length", "0")])
    }
}

/// One request as the test server received it.
public struct RecordedRequest: Sendable, Equatable {
    /// 1 for the first request the server received, 2 for the next, across all connections.
    public var number: Int
    public var method: String
    /// The path and query: "/v1/chat/completions".
    public var target: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(number: Int, method: String, target: String, headers: [HTTPHeader], body: [UInt8]) {
        self.number = number
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, whatever its case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Holds a scripted response at a `.wait` step until the test says it may go on: for stories
/// where something must happen (another process deletes, a file is damaged) in the middle of a
/// reply, whatever the machine's speed.
public final class Gate: Sendable, Equatable {
    private let state = Mutex<(isOpen: Bool, waiters: [@Sendable () -> Void])>((false, []))

    public init() {}

    public func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter() }
    }

    /// Runs `body` once the gate is open (at once when it already is).
    func whenOpen(_ body: @escaping @Sendable () -> Void) {
        let isOpen = state.withLock { state in
            if !state.isOpen { state.waiters.append(body) }
            return state.isOpen
        }
        if isOpen { body() }
    }

    public static func == (lhs: Gate, rhs: Gate) -> Bool { lhs === rhs }
}
