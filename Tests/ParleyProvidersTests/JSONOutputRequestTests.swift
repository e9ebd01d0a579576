import ParleyCore
import ParleyProviders
import Testing

@Suite("--json: each API is asked for JSON its own way")
struct JSONOutputRequestTests {
    let chat = ChatRequest(
        model: "m", messages: [ChatMessage(.user, "List three colours")], system: "Be terse.", responseFormat: .json)
    let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1", apiKey: "k")

    func body(_ format: WireFormat, _ chat: ChatRequest? = nil) throws -> JSON {
        try JSON.parse(format.request(for: chat ?? self.chat, endpoint: endpoint).body)
    }

    @Test("OpenAI-compatible: response_format json_object, and the instruction JSON mode requires")
    func openAIChat() throws {
        let body = try body(.openAIChat)
        #expect(body["response_format"] == ["type": "json_object"])
        #expect(body["messages"]?[0]?["content"]?.string == "Be terse.\n\n" + ChatRequest.jsonInstruction)
    }

    @Test("Responses: text.format json_object, the instruction in instructions")
    func responses() throws {
        let body = try body(.openAIResponses)
        #expect(body["text"] == ["format": ["type": "json_object"]])
        #expect(body["instructions"]?.string?.hasSuffix(ChatRequest.jsonInstruction) == true)
    }

    @Test("Gemini: generationConfig.responseMimeType")
    func gemini() throws {
        let body = try body(.gemini)
        #expect(body["generationConfig"]?["responseMimeType"]?.string == "application/json")
        #expect(body["systemInstruction"]?["parts"]?[0]?["text"]?.string == "Be terse.")
    }

    @Test("Ollama: format json")
    func ollama() throws {
        #expect(try body(.ollama)["format"]?.string == "json")
    }

    @Test("Anthropic has no switch: the instruction ends the system prompt")
    func anthropic() throws {
        #expect(try body(.anthropic)["system"]?.string == "Be terse.\n\n" + ChatRequest.jsonInstruction)
    }

    @Test("without --json no request carries any of it")
    func plainText() throws {
        var text = chat
        text.responseFormat = .text
        for format in [WireFormat.openAIChat, .openAIResponses, .gemini, .ollama, .anthropic] {
            let serialized = String(decoding: format.request(for: text, endpoint: endpoint).body, as: UTF8.self)
            #expect(!serialized.contains("json"), "\(format)")
        }
    }
}
