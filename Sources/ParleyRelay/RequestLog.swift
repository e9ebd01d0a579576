import ParleyCore

/// The line the relay logs for each request, to standard error: what an operator needs to see
/// traffic and failures, and nothing of what was said (no content) or who holds which key.
public struct RequestLog: Equatable, Sendable {
    public var method: String
    public var path: String
    /// The model as the client named it, when the request got that far.
    public var model: String?
    public var status: Int
    public var duration: Duration
    public var usage: Usage?
    /// How a stream that began with 200 ended, when not whole: its error's code, or `cancelled`.
    public var ended: String?

    public init(
        method: String, path: String, model: String? = nil, status: Int, duration: Duration, usage: Usage? = nil,
        ended: String? = nil
    ) {
        self.method = method
        self.path = path
        self.model = model
        self.status = status
        self.duration = duration
        self.usage = usage
        self.ended = ended
    }

    /// `POST /v1/chat/completions anthropic/claude-sonnet-4-5 200 1834ms in=1200 out=342`: the
    /// client's model name with its control characters shown as pictures and on one line, so a
    /// client cannot forge a log line.
    public var line: String {
        var fields = [method, path]
        if let model { fields.append(ControlPicture.safe(model).replacing(" ", with: "␠").replacing("\n", with: "␊")) }
        fields += [String(status), "\(duration.wholeMilliseconds)ms"]
        if let usage { fields += ["in=\(usage.inputTokens)", "out=\(usage.outputTokens)"] }
        if let ended { fields.append("ended=\(ended)") }
        return fields.joined(separator: " ")
    }
}
