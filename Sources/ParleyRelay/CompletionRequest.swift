import ParleyCore

/// A Chat Completions request as an OpenAI client sends it, read into Parley's own `ChatRequest`:
/// the inverse of the OpenAI Chat adapter's request building. Pure: bytes in, a request or the
/// `RelayError` (400, naming the field) out.
///
/// Read: `model`, `messages` (system and developer messages become the system prompt; user
/// content as text or parts, images and PDFs as data URLs; assistant `tool_calls` and
/// `reasoning_content`; `tool` results), `tools`, `max_tokens` / `max_completion_tokens`,
/// `temperature`, `response_format` (`json_object` and `json_schema` both ask for JSON),
/// `reasoning_effort`, `stream` and `stream_options.include_usage`. Fields Parley has no use for
/// (`top_p`, `user`, `seed`…) are ignored, as many servers do; `n` above 1 is refused, since a
/// reply is one choice.
public struct CompletionRequest: Equatable, Sendable {
    /// The model as the client named it: `PROVIDER/MODEL`, or the name of a preset.
    public var model: String
    /// What to ask; its `model` is the client's until the relay knows the provider's.
    public var chat: ChatRequest
    public var stream: Bool
    /// `stream_options.include_usage`: a last chunk with the usage and no choices.
    public var includeUsage: Bool

    public init(model: String, chat: ChatRequest, stream: Bool = false, includeUsage: Bool = false) {
        self.model = model
        self.chat = chat
        self.stream = stream
        self.includeUsage = includeUsage
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(RelayError) -> CompletionRequest {
        let body: JSON
        do {
            body = try JSON.parse(bytes)
        } catch {
            throw .badRequest("the body is not JSON (\(error.description))")
        }
        guard body.object != nil else { throw .badRequest("the body must be a JSON object") }
        guard let model = body["model"]?.string, !model.isEmpty else {
            throw .badRequest("`model` is missing: name one as PROVIDER/MODEL (see GET /v1/models)", param: "model")
        }
        if let choices = body["n"], !choices.isNull, choices.int != 1 {
            throw .badRequest("`n` must be 1: this relay sends one choice a reply", param: "n")
        }
        let messages = try CompletionMessages.read(body["messages"])
        let chat = ChatRequest(
            model: model, messages: messages.conversation, system: messages.system,
            maxTokens: try maxTokens(body), temperature: try temperature(body["temperature"]),
            responseFormat: try responseFormat(body["response_format"]),
            reasoning: try reasoning(body["reasoning_effort"]), tools: try tools(body["tools"]))
        let stream = try flag(body["stream"], "stream")
        let includeUsage = try flag(body["stream_options"]?["include_usage"], "stream_options.include_usage")
        return CompletionRequest(model: model, chat: chat, stream: stream, includeUsage: includeUsage)
    }

    private static func flag(_ value: JSON?, _ name: String) throws(RelayError) -> Bool {
        guard let value, !value.isNull else { return false }
        guard let flag = value.bool else { throw .badRequest("`\(name)` must be true or false", param: name) }
        return flag
    }

    private static func maxTokens(_ body: JSON) throws(RelayError) -> Int? {
        for name in ["max_completion_tokens", "max_tokens"] {
            guard let value = body[name], !value.isNull else { continue }
            guard let tokens = value.int, tokens >= 1 else {
                throw .badRequest("`\(name)` must be a whole number of at least 1", param: name)
            }
            return tokens
        }
        return nil
    }

    private static func temperature(_ value: JSON?) throws(RelayError) -> Double? {
        guard let value, !value.isNull else { return nil }
        guard let temperature = value.double, (0...2).contains(temperature) else {
            throw .badRequest("`temperature` must be a number from 0 to 2", param: "temperature")
        }
        return temperature
    }

    private static func responseFormat(_ value: JSON?) throws(RelayError) -> ChatRequest.ResponseFormat {
        guard let value, !value.isNull else { return .text }
        switch value["type"]?.string {
        case "text": return .text
        case "json_object", "json_schema": return .json
        default:
            throw .badRequest(
                "`response_format.type` must be text, json_object or json_schema", param: "response_format")
        }
    }

    /// OpenAI's efforts: `none` asks for as little as the model allows, `minimal` is the lowest
    /// effort Parley's providers share.
    private static func reasoning(_ value: JSON?) throws(RelayError) -> Reasoning {
        guard let value, !value.isNull else { return .standard }
        switch value.string {
        case "none": return .off
        case "minimal", "low": return .effort(.low)
        case "medium": return .effort(.medium)
        case "high": return .effort(.high)
        default:
            throw .badRequest(
                "`reasoning_effort` must be none, minimal, low, medium or high", param: "reasoning_effort")
        }
    }

    private static func tools(_ value: JSON?) throws(RelayError) -> [ToolDefinition] {
        guard let value, !value.isNull else { return [] }
        guard let tools = value.array else { throw .badRequest("`tools` must be an array", param: "tools") }
        var definitions: [ToolDefinition] = []
        for (position, tool) in tools.enumerated() {
            let place = "tools[\(position)]"
            guard tool["type"]?.string == "function", let function = tool["function"] else {
                throw .badRequest("`\(place)` must be {\"type\": \"function\", \"function\": {…}}", param: place)
            }
            guard let name = function["name"]?.string, !name.isEmpty else {
                throw .badRequest("`\(place).function.name` is missing", param: place)
            }
            let parameters = function["parameters"].flatMap { $0.isNull ? nil : $0 }
            if let parameters, parameters.object == nil {
                throw .badRequest("`\(place).function.parameters` must be a JSON Schema object", param: place)
            }
            definitions.append(
                ToolDefinition(
                    name: name, description: function["description"]?.string ?? "",
                    parameters: parameters ?? ["type": "object", "properties": [:]]))
        }
        return definitions
    }
}
