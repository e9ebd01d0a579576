/// Why a tool server could not be used, in words for the user, always naming the server. Every
/// way a server can misbehave ends here: none hangs Parley or stops it.
public struct ToolServerFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server's name in the config file.
    public var server: String
    public var reason: Reason

    public init(server: String, reason: Reason) {
        self.server = server
        self.reason = reason
    }

    public enum Reason: Equatable, Sendable {
        /// `command` has no slash and is on no folder of PATH.
        case commandNotFound(command: String)
        /// The file exists but cannot be run.
        case notExecutable(path: String)
        /// The system would not start it (`detail` says why).
        case couldNotStart(detail: String)
        /// It ended before it answered `initialize`. `ending` is "exited with status 1" or "was
        /// killed by signal 9"; `stderr` its last lines there.
        case exitedDuringStart(ending: String, stderr: [String])
        /// It did not answer `initialize` in time, and was stopped.
        case startTimedOut(after: Duration)
        /// It answered, but not as an MCP server does.
        case notMCP(detail: String)
        /// It speaks a protocol version Parley does not.
        case unsupportedVersion(String, supported: [String])
        /// It ended while Parley waited for it (`during`: "listing its tools", "get_time").
        case crashed(during: String, ending: String, stderr: [String])
        /// A request (a call, the list of tools) was cancelled after `after`; when the server then
        /// stopped answering altogether it was stopped too, and starts again on next use.
        case timedOut(during: String, after: Duration, serverStopped: Bool)
        /// One of its messages passed the size cap: it was stopped.
        case messageTooLarge(limit: Int)
        /// Its reply is JSON-RPC but not the result asked for.
        case malformedReply(during: String, detail: String)
        /// It answered with a protocol error (an unknown tool, arguments it rejects).
        case refused(during: String, message: String)
        /// The arguments given for a call are not a JSON object.
        case badArguments(tool: String, detail: String)
        /// A url server could not be connected to.
        case unreachable(url: String, detail: String)
        /// A url server answered with an HTTP error.
        case httpStatus(Int, detail: String)
        /// A url server dropped Parley's session (404): it starts again when next used.
        case sessionEnded
        /// The caller gave up waiting (Esc, Ctrl-C); the server was told.
        case cancelled(during: String)
    }

    public var description: String {
        let name = "MCP server '\(server)'"
        switch reason {
        case .commandNotFound(let command):
            return "\(name): command '\(command)' not found on PATH; give its full path as command"
        case .notExecutable(let path):
            return "\(name): \(path) is not an executable file"
        case .couldNotStart(let detail):
            return "\(name) could not be started: \(detail)"
        case .exitedDuringStart(let ending, let stderr):
            return "\(name) \(ending) while starting" + Self.lastWords(stderr)
        case .startTimedOut(let after):
            return "\(name) did not answer within \(after.spoken) of starting; it was stopped"
        case .notMCP(let detail):
            return "\(name) does not speak MCP: \(detail)"
        case .unsupportedVersion(let version, let supported):
            return "\(name) speaks MCP version \(version), which Parley does not (it speaks "
                + supported.joined(separator: ", ") + ")"
        case .crashed(let during, let ending, let stderr):
            return "\(name) \(ending) during \(during)" + Self.lastWords(stderr)
        case .timedOut(let during, let after, let stopped):
            return "\(name): \(during) did not finish within \(after.spoken); it was cancelled"
                + (stopped
                    ? ", and the server, which stopped answering, was stopped (it starts again when next used)" : "")
        case .messageTooLarge(let limit):
            return "\(name) sent a message larger than \(limit >> 20) MB; it was stopped"
        case .malformedReply(let during, let detail):
            return "\(name) answered \(during) with something that is not a valid reply: \(detail)"
        case .refused(let during, let message):
            return "\(name) refused \(during): \(message)"
        case .badArguments(let tool, let detail):
            return "the arguments for \(tool) on \(name) are not a JSON object: \(detail)"
        case .unreachable(let url, let detail):
            return "\(name) cannot be reached at \(url): \(detail)"
        case .httpStatus(let status, let detail):
            return "\(name) answered HTTP \(status) \(detail)"
                + (status == 401 || status == 403 ? "; check its headers in the config file" : "")
        case .sessionEnded:
            return "\(name) ended Parley's session; it starts a new one when next used"
        case .cancelled(let during):
            return "\(name): \(during) was cancelled"
        }
    }

    /// The end of what the server said on stderr, indented under the message.
    private static func lastWords(_ stderr: [String]) -> String {
        stderr.isEmpty ? "" : "; its stderr ended with:\n" + stderr.map { "  " + $0 }.joined(separator: "\n")
    }
}
