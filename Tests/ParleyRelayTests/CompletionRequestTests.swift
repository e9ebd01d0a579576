import Foundation
import ParleyCore
import Testing

@testable import ParleyRelay

@Suite("An OpenAI client's request, read into Parley's own")
struct CompletionRequestTests {
    static func parse(_ body: JSON) throws(RelayError) -> CompletionRequest {
        try CompletionRequest.parse(Array(body.serialized().utf8))
    }

    @Test("a tool loop with an image: system prompts joined, files before text, calls answered by their tool's name")
    func wholeConversation() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
        let dataURL = "data:image/png;base64," + Data(png).base64EncodedString()
        let request = try Self.parse([
            "model": "anthropic/claude-sonnet-4-5",
            "messages": [
                ["role": "system", "content": "Be brief."],
                ["role": "developer", "content": [["type": "text", "text": "Use tools."]]],
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "What time is it where this was taken?"],
                        ["type": "image_url", "image_url": ["url": .string(dataURL)]],
                    ],
                ],
                [
                    "role": "assistant", "content": nil, "reasoning_content": "I should ask the clock.",
                    "tool_calls": [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "now", "arguments": #"{"tz":"UTC"}"#],
                        ]
                    ],
                ],
                ["role": "tool", "tool_call_id": "call_1", "content": "12:00"],
            ],
            "tools": [
                [
                    "type": "function",
                    "function": ["name": "now", "description": "The time", "parameters": ["type": "object"]],
                ]
            ],
            "max_completion_tokens": 300, "temperature": 0.5, "reasoning_effort": "high",
            "response_format": ["type": "json_object"], "stream": true, "stream_options": ["include_usage": true],
            "top_p": 0.9, "user": "someone",
        ])

        let expected = ChatRequest(
            model: "anthropic/claude-sonnet-4-5",
            messages: [
                ChatMessage(
                    .user,
                    parts: [
                        .attachment(Attachment(name: "image-1.png", kind: .image(.png), bytes: png)),
                        .text("What time is it where this was taken?"),
                    ]),
                ChatMessage(
                    .assistant,
                    parts: [
                        .thinking("I should ask the clock.", signature: nil),
                        .toolCall(ToolCall(id: "call_1", name: "now", arguments: #"{"tz":"UTC"}"#)),
                    ]),
                ChatMessage(.tool, parts: [.toolResult(ToolResult(callID: "call_1", name: "now", content: "12:00"))]),
            ],
            system: "Be brief.\n\nUse tools.", maxTokens: 300, temperature: 0.5, responseFormat: .json,
            reasoning: .effort(.high),
            tools: [ToolDefinition(name: "now", description: "The time", parameters: ["type": "object"])])
        #expect(
            request
                == CompletionRequest(
                    model: "anthropic/claude-sonnet-4-5", chat: expected, stream: true, includeUsage: true))
    }

    @Test("a plain question: no stream, no usage chunk, Parley's default reasoning")
    func plain() throws {
        let request = try Self.parse(["model": "demo/demo", "messages": [["role": "user", "content": "Hi"]]])
        #expect(
            request
                == CompletionRequest(
                    model: "demo/demo", chat: ChatRequest(model: "demo/demo", messages: [ChatMessage(.user, "Hi")])))
    }

    @Test(
        "every bad request is a 400 naming the field at fault",
        arguments: [
            (#"{"model": "#, nil as String?),
            (#"[1, 2]"#, nil),
            (#"{"messages": [{"role": "user", "content": "Hi"}]}"#, "model"),
            (#"{"model": "demo/demo", "messages": []}"#, "messages"),
            (#"{"model": "demo/demo", "messages": [{"role": "wizard", "content": "Hi"}]}"#, "messages[0]"),
            (#"{"model": "demo/demo", "n": 2, "messages": [{"role": "user", "content": "Hi"}]}"#, "n"),
            (
                #"{"model": "demo/demo", "temperature": 3, "messages": [{"role": "user", "content": "Hi"}]}"#,
                "temperature"
            ),
            (
                #"{"model": "demo/demo", "max_tokens": 0, "messages": [{"role": "user", "content": "Hi"}]}"#,
                "max_tokens"
            ),
            (
                #"{"model": "demo/demo", "reasoning_effort": "max", "messages": [{"role": "user", "content": "Hi"}]}"#,
                "reasoning_effort"
            ),
            (#"{"model": "demo/demo", "stream": "yes", "messages": [{"role": "user", "content": "Hi"}]}"#, "stream"),
            (
                #"{"model": "demo/demo", "tools": [{"type": "function"}], "messages": [{"role": "user", "content": "Hi"}]}"#,
                "tools[0]"
            ),
            (
                #"{"model": "demo/demo", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://169.254.169.254/x.png"}}]}]}"#,
                "messages[0].content[0]"
            ),
            (
                #"{"model": "demo/demo", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAEC"}}]}]}"#,
                "messages[0].content[0]"
            ),
            (#"{"model": "demo/demo", "messages": [{"role": "tool", "content": "12:00"}]}"#, "messages[0]"),
        ])
    func refused(body: String, param: String?) {
        #expect {
            _ = try CompletionRequest.parse(Array(body.utf8))
        } throws: { error in
            guard let error = error as? RelayError else { return false }
            return error.status == 400 && error.type == "invalid_request_error" && error.param == param
                && !error.message.isEmpty
        }
    }

    @Test("a remote image is refused in words: the relay fetches nothing for a client")
    func remoteImage() {
        let body =
            #"{"model":"demo/demo","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"#
        #expect(
            throws: RelayError.badRequest(
                "`messages[0].content[0]`: files must be sent inline as data URLs; this relay fetches no URL",
                param: "messages[0].content[0]")
        ) {
            try CompletionRequest.parse(Array(body.utf8))
        }
    }
}
