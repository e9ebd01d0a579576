import ParleyCore
import ParleyProviders
import Testing

/// A tool loop's second request, in every format: the tools offered, the model's first round
/// (signed thinking, text, two parallel calls, one of them signed as Gemini signs calls) and the
/// two results (one a failure) sent back, each in the shape its API documents.
@Suite("Tool requests: definitions, calls and results in each API's own shape")
struct ToolRequestTests {
    static let clock = ToolDefinition(
        name: "get_current_time", description: "The time now in a time zone.",
        parameters: [
            "type": "object", "properties": ["timezone": ["type": "string"]], "required": ["timezone"],
        ])
    static let weather = ToolCall(id: "call_w", name: "get_weather", arguments: #"{"city":"Köln"}"#)
    static let time = ToolCall(
        id: "call_t", name: "get_current_time", arguments: #"{"timezone":"UTC"}"#, signature: "c2lnLXQ=")

    let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1", apiKey: "k")
    let chat = ChatRequest(
        model: "m",
        messages: [
            ChatMessage(.user, "Weather in Köln, and the time?"),
            ChatMessage(
                replyOf: [
                    .thinking("Two "), .thinking("tools."), .thinkingSignature("c2lnLXRoaW5r"),
                    .text("Checking both."), .toolCall(weather), .toolCall(time),
                ]),
            ChatMessage(
                .tool,
                parts: [
                    .toolResult(
                        ToolResult(callID: "call_w", name: "get_weather", content: "no such tool", isError: true)),
                    .toolResult(ToolResult(callID: "call_t", name: "get_current_time", content: "12:00")),
                ]),
        ],
        tools: [clock])

    func body(_ format: WireFormat, _ chat: ChatRequest? = nil) throws -> JSON {
        try JSON.parse(format.request(for: chat ?? self.chat, endpoint: endpoint).body)
    }

    @Test("a round's events become one reply: runs joined, the signature with its thinking, calls in order")
    func replyOfEvents() {
        #expect(
            chat.messages[1].parts == [
                .thinking("Two tools.", signature: "c2lnLXRoaW5r"), .text("Checking both."),
                .toolCall(Self.weather), .toolCall(Self.time),
            ])
        #expect(chat.messages[1].content == "Checking both.")
        #expect(
            ChatMessage(replyOf: [.text("Sunny"), .thinkingSignature("s")]).parts == [
                .text("Sunny"), .thinking("", signature: "s"),
            ])
    }

    @Test("OpenAI Chat: tools as functions, the calls in tool_calls, each result a tool message")
    func openAIChat() throws {
        let body = try body(.openAIChat)
        #expect(
            body["tools"] == [
                [
                    "type": "function",
                    "function": [
                        "name": "get_current_time", "description": "The time now in a time zone.",
                        "parameters": Self.clock.parameters,
                    ],
                ]
            ])
        let messages = try #require(body["messages"]?.array)
        #expect(messages.count == 4)
        #expect(
            messages[1] == [
                "role": "assistant", "content": "Checking both.",
                "tool_calls": [
                    [
                        "id": "call_w", "type": "function",
                        "function": ["name": "get_weather", "arguments": #"{"city":"Köln"}"#],
                    ],
                    [
                        "id": "call_t", "type": "function",
                        "function": ["name": "get_current_time", "arguments": #"{"timezone":"UTC"}"#],
                    ],
                ],
            ])
        #expect(messages[2] == ["role": "tool", "tool_call_id": "call_w", "content": "no such tool"])
        #expect(messages[3] == ["role": "tool", "tool_call_id": "call_t", "content": "12:00"])
    }

    @Test("OpenAI Chat: a reply that only called tools has null content, as the API documents")
    func openAIChatNoText() throws {
        var chat = chat
        chat.messages[1] = ChatMessage(replyOf: [.toolCall(Self.weather)])
        let reply = try body(.openAIChat, chat)["messages"]?[1]
        #expect(reply?["content"] == .null)
        #expect(reply?["tool_calls"]?.array?.count == 1)
    }

    @Test(
        "Responses: flat function tools; the reasoning item by id, function_call and function_call_output items by call_id"
    )
    func responses() throws {
        let body = try body(.openAIResponses)
        #expect(
            body["tools"] == [
                [
                    "type": "function", "name": "get_current_time", "description": "The time now in a time zone.",
                    "parameters": Self.clock.parameters,
                ]
            ])
        #expect(
            body["input"]?.array == [
                ["role": "user", "content": "Weather in Köln, and the time?"],
                // The reasoning item the calls came from, by its id (the signature), before them.
                [
                    "type": "reasoning", "id": "c2lnLXRoaW5r",
                    "summary": [["type": "summary_text", "text": "Two tools."]],
                ],
                ["role": "assistant", "content": "Checking both."],
                [
                    "type": "function_call", "call_id": "call_w", "name": "get_weather",
                    "arguments": #"{"city":"Köln"}"#,
                ],
                [
                    "type": "function_call", "call_id": "call_t", "name": "get_current_time",
                    "arguments": #"{"timezone":"UTC"}"#,
                ],
                ["type": "function_call_output", "call_id": "call_w", "output": "no such tool"],
                ["type": "function_call_output", "call_id": "call_t", "output": "12:00"],
            ])
    }

    @Test("DeepSeek gets the reasoning back with the calls it led to; other chat services are not sent the field")
    func deepSeekReasoning() throws {
        func assistant(_ dialect: ChatDialect) throws -> JSON? {
            let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1", apiKey: "k", dialect: dialect)
            let body = try JSON.parse(WireFormat.openAIChat.request(for: chat, endpoint: endpoint).body)
            return body["messages"]?[1]
        }
        #expect(try assistant(.deepSeek)?["reasoning_content"] == "Two tools.")
        #expect(try assistant(.deepSeek)?["tool_calls"]?.array?.count == 2)
        for dialect in [ChatDialect.openAI, .openRouter, .groq, .xAI] {
            #expect(try assistant(dialect)?["reasoning_content"] == nil, "\(dialect)")
        }
    }

    @Test("Anthropic: input_schema tools; signed thinking, text and tool_use blocks; results as tool_result blocks")
    func anthropic() throws {
        let body = try body(.anthropic)
        #expect(
            body["tools"] == [
                [
                    "name": "get_current_time", "description": "The time now in a time zone.",
                    "input_schema": Self.clock.parameters,
                ]
            ])
        #expect(
            body["messages"]?.array == [
                ["role": "user", "content": "Weather in Köln, and the time?"],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "Two tools.", "signature": "c2lnLXRoaW5r"],
                        ["type": "text", "text": "Checking both."],
                        ["type": "tool_use", "id": "call_w", "name": "get_weather", "input": ["city": "Köln"]],
                        ["type": "tool_use", "id": "call_t", "name": "get_current_time", "input": ["timezone": "UTC"]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "call_w", "content": "no such tool", "is_error": true],
                        ["type": "tool_result", "tool_use_id": "call_t", "content": "12:00"],
                    ],
                ],
            ])
    }

    @Test("Anthropic: thinking without a signature cannot be sent back, so it is left out")
    func anthropicUnsignedThinking() throws {
        var chat = chat
        chat.messages[1] = ChatMessage(replyOf: [.thinking("Hmm."), .toolCall(Self.weather)])
        let blocks = try body(.anthropic, chat)["messages"]?[1]?["content"]?.array
        #expect(blocks?.map { $0["type"]?.string } == ["tool_use"])
    }

    @Test("Gemini: functionDeclarations with JSON Schema; calls and their signatures exactly; functionResponse by name")
    func gemini() throws {
        let body = try body(.gemini)
        #expect(
            body["tools"] == [
                [
                    "functionDeclarations": [
                        [
                            "name": "get_current_time", "description": "The time now in a time zone.",
                            "parametersJsonSchema": Self.clock.parameters,
                        ]
                    ]
                ]
            ])
        #expect(
            body["contents"]?.array == [
                ["role": "user", "parts": [["text": "Weather in Köln, and the time?"]]],
                [
                    "role": "model",
                    "parts": [
                        ["thought": true, "text": "Two tools.", "thoughtSignature": "c2lnLXRoaW5r"],
                        ["text": "Checking both."],
                        ["functionCall": ["id": "call_w", "name": "get_weather", "args": ["city": "Köln"]]],
                        [
                            "functionCall": ["id": "call_t", "name": "get_current_time", "args": ["timezone": "UTC"]],
                            "thoughtSignature": "c2lnLXQ=",
                        ],
                    ],
                ],
                [
                    "role": "user",
                    "parts": [
                        [
                            "functionResponse": [
                                "id": "call_w", "name": "get_weather", "response": ["error": "no such tool"],
                            ]
                        ],
                        [
                            "functionResponse": [
                                "id": "call_t", "name": "get_current_time", "response": ["result": "12:00"],
                            ]
                        ],
                    ],
                ],
            ])
    }

    @Test("Ollama: OpenAI's tool shape, arguments as objects, results as tool messages naming the tool")
    func ollama() throws {
        let body = try body(.ollama)
        #expect(body["tools"]?[0]?["function"]?["name"] == "get_current_time")
        let messages = try #require(body["messages"]?.array)
        #expect(
            messages[1] == [
                "role": "assistant", "content": "Checking both.",
                "tool_calls": [
                    ["function": ["name": "get_weather", "arguments": ["city": "Köln"]]],
                    ["function": ["name": "get_current_time", "arguments": ["timezone": "UTC"]]],
                ],
            ])
        #expect(messages[2] == ["role": "tool", "tool_name": "get_weather", "content": "no such tool"])
        #expect(messages[3] == ["role": "tool", "tool_name": "get_current_time", "content": "12:00"])
    }

    @Test("with no tools offered, no request mentions tools: a plain chat's bytes are as before")
    func noTools() throws {
        let plain = ChatRequest(model: "m", messages: [ChatMessage(.user, "hi")])
        for format in [WireFormat.openAIChat, .openAIResponses, .gemini, .ollama, .anthropic] {
            let serialized = String(decoding: format.request(for: plain, endpoint: endpoint).body, as: UTF8.self)
            #expect(!serialized.contains("tool"), "\(format)")
            #expect(!serialized.contains("function"), "\(format)")
        }
    }
}
