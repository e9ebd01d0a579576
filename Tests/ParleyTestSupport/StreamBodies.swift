import ParleyCore

/// Small provider stream bodies written for tests, shaped like the recorded ones.
public enum StreamBodies {
    /// One OpenAI Chat Completions chunk with a text delta.
    public static func openAIChatDelta(_ text: String, model: String = "test-model") -> [UInt8] {
        event(["model": .string(model), "choices": [["index": 0, "delta": ["content": .string(text)]]]])
    }

    /// One OpenAI-compatible chunk with reasoning (`reasoning_content`, as DeepSeek and llama.cpp send it).
    public static func openAIChatReasoningDelta(_ text: String, model: String = "test-model") -> [UInt8] {
        event(["model": .string(model), "choices": [["index": 0, "delta": ["reasoning_content": .string(text)]]]])
    }

    /// The end of an OpenAI Chat Completions stream: the finish reason, the usage chunk, `[DONE]`.
    public static func openAIChatEnd(
        model: String = "test-model", inputTokens: Int = 12, outputTokens: Int = 3
    ) -> [UInt8] {
        let finish: JSON = ["model": .string(model), "choices": [["index": 0, "delta": [:], "finish_reason": "stop"]]]
        let usage: JSON = [
            "model": .string(model), "choices": [],
            "usage": [
                "prompt_tokens": .number(Double(inputTokens)), "completion_tokens": .number(Double(outputTokens)),
            ],
        ]
        return event(finish) + event(usage) + Array("data: [DONE]\n\n".utf8)
    }

    /// A whole OpenAI Chat Completions stream in which the model calls one tool: the call in two
    /// argument deltas, `finish_reason: tool_calls`, the usage chunk, `[DONE]`.
    public static func openAIChatToolCall(
        id: String, name: String, arguments: String, model: String = "test-model"
    ) -> [UInt8] {
        let half = arguments.index(arguments.startIndex, offsetBy: arguments.count / 2)
        let opening: JSON = [
            "model": .string(model),
            "choices": [
                [
                    "index": 0,
                    "delta": [
                        "tool_calls": [
                            [
                                "index": 0, "id": .string(id), "type": "function",
                                "function": ["name": .string(name), "arguments": .string(String(arguments[..<half]))],
                            ]
                        ]
                    ],
                ]
            ],
        ]
        let rest: JSON = [
            "model": .string(model),
            "choices": [
                [
                    "index": 0,
                    "delta": [
                        "tool_calls": [["index": 0, "function": ["arguments": .string(String(arguments[half...]))]]]
                    ],
                ]
            ],
        ]
        let finish: JSON = [
            "model": .string(model), "choices": [["index": 0, "delta": [:], "finish_reason": "tool_calls"]],
        ]
        let usage: JSON = [
            "model": .string(model), "choices": [], "usage": ["prompt_tokens": 20, "completion_tokens": 9],
        ]
        return event(opening) + event(rest) + event(finish) + event(usage) + Array("data: [DONE]\n\n".utf8)
    }

    /// A whole OpenAI Chat Completions stream writing `pieces` as text.
    public static func openAIChat(_ pieces: [String], model: String = "test-model") -> [UInt8] {
        pieces.flatMap { openAIChatDelta($0, model: model) } + openAIChatEnd(model: model)
    }

    /// A whole Anthropic Messages stream writing `pieces` as one text block.
    public static func anthropic(_ pieces: [String], model: String = "claude-test") -> [UInt8] {
        let start: JSON = [
            "type": "message_start",
            "message": [
                "id": "msg_test", "type": "message", "role": "assistant", "model": .string(model), "content": [],
                "usage": ["input_tokens": 5, "output_tokens": 1],
            ],
        ]
        let deltas = pieces.flatMap { piece in
            named(
                "content_block_delta",
                ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": .string(piece)]])
        }
        return named("message_start", start)
            + named(
                "content_block_start",
                ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]])
            + deltas + named("content_block_stop", ["type": "content_block_stop", "index": 0])
            + named(
                "message_delta",
                ["type": "message_delta", "delta": ["stop_reason": "end_turn"], "usage": ["output_tokens": 3]])
            + named("message_stop", ["type": "message_stop"])
    }

    /// The text deltas of a reply far larger than every buffer between a server and its
    /// consumer: `count` numbered deltas of about 4 KiB each (6,000 make 25 MB).
    public static func longReplyPieces(_ count: Int) -> [String] {
        (0..<count).map { "\($0):" + String(repeating: "abcdefgh", count: 512) + "\n" }
    }

    private static func named(_ name: String, _ payload: JSON) -> [UInt8] {
        Array("event: \(name)\n".utf8) + event(payload)
    }

    private static func event(_ payload: JSON) -> [UInt8] {
        Array("data: \(payload.serialized())\n\n".utf8)
    }
}
