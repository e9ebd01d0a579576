import Foundation
import ParleyCore

/// `messages` of a Chat Completions request, read into Parley's conversation: system (and
/// developer) messages joined into the system prompt, since every provider takes one system prompt
/// first; a run of `tool` messages into one message of results, answering the assistant's calls by
/// their ids (Gemini and Ollama answer a call by its tool's name, found from the call).
struct CompletionMessages {
    var system: String?
    var conversation: [ChatMessage]

    static func read(_ value: JSON?) throws(RelayError) -> CompletionMessages {
        guard let items = value?.array, !items.isEmpty else {
            throw .badRequest("`messages` must be a non-empty array", param: "messages")
        }
        var systemParts: [String] = []
        var conversation: [ChatMessage] = []
        var toolNames: [String: String] = [:]
        for (position, item) in items.enumerated() {
            let place = "messages[\(position)]"
            switch item["role"]?.string {
            case "system", "developer":
                systemParts.append(try text(item["content"], at: place))
            case "user":
                conversation.append(ChatMessage(.user, parts: try userParts(item["content"], at: place)))
            case "assistant":
                let message = try assistant(item, at: place)
                for call in message.toolCalls { toolNames[call.id] = call.name }
                conversation.append(message)
            case "tool":
                guard let callID = item["tool_call_id"]?.string else {
                    throw .badRequest("`\(place).tool_call_id` is missing", param: place)
                }
                let result = MessagePart.toolResult(
                    ToolResult(
                        callID: callID, name: toolNames[callID] ?? "", content: try text(item["content"], at: place)))
                if conversation.last?.role == .tool {
                    conversation[conversation.count - 1].parts.append(result)
                } else {
                    conversation.append(ChatMessage(.tool, parts: [result]))
                }
            default:
                throw .badRequest(
                    "`\(place).role` must be system, developer, user, assistant or tool", param: place)
            }
        }
        return CompletionMessages(
            system: systemParts.isEmpty ? nil : systemParts.joined(separator: "\n\n"), conversation: conversation)
    }

    /// Content that may only be text: a string, null, or an array of text parts.
    private static func text(_ content: JSON?, at place: String) throws(RelayError) -> String {
        switch content {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case .array(let parts)?:
            var pieces: [String] = []
            for part in parts {
                guard part["type"]?.string == "text", let text = part["text"]?.string else {
                    throw .badRequest("`\(place).content` may hold only text parts", param: place)
                }
                pieces.append(text)
            }
            return pieces.joined(separator: "\n\n")
        default:
            throw .badRequest("`\(place).content` must be a string or an array of parts", param: place)
        }
    }

    /// A user message's files first, then its text, as Parley's own messages hold them.
    private static func userParts(_ content: JSON?, at place: String) throws(RelayError) -> [MessagePart] {
        guard case .array(let parts)? = content else { return [.text(try text(content, at: place))] }
        var files: [MessagePart] = []
        var pieces: [String] = []
        for (position, part) in parts.enumerated() {
            let partPlace = "\(place).content[\(position)]"
            switch part["type"]?.string {
            case "text":
                guard let text = part["text"]?.string else {
                    throw .badRequest("`\(partPlace).text` must be a string", param: partPlace)
                }
                pieces.append(text)
            case "image_url":
                guard let url = part["image_url"]?["url"]?.string else {
                    throw .badRequest("`\(partPlace).image_url.url` is missing", param: partPlace)
                }
                files.append(.attachment(try attachment(url, name: "image-\(files.count + 1)", at: partPlace)))
            case "file":
                guard let data = part["file"]?["file_data"]?.string else {
                    throw .badRequest(
                        "`\(partPlace).file.file_data` is missing: files go inline, as data URLs", param: partPlace)
                }
                let name = part["file"]?["filename"]?.string ?? "file-\(files.count + 1)"
                files.append(.attachment(try attachment(data, name: name, at: partPlace)))
            default:
                throw .badRequest("`\(partPlace).type` must be text, image_url or file", param: partPlace)
            }
        }
        return files + (pieces.isEmpty ? [] : [.text(pieces.joined(separator: "\n\n"))])
    }

    /// A file sent inline (`data:image/png;base64,…`), told by its content as `parley ask -a` tells
    /// a file. A web address is refused: the relay fetches nothing on a client's behalf.
    private static func attachment(_ url: String, name: String, at place: String) throws(RelayError) -> Attachment {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else {
            throw .badRequest(
                "`\(place)`: files must be sent inline as data URLs; this relay fetches no URL", param: place)
        }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64"), let bytes = Data(base64Encoded: String(url[url.index(after: comma)...]))
        else {
            throw .badRequest("`\(place)`: the data URL must be base64", param: place)
        }
        do {
            var file = try Attachment.checked(name: name, bytes: [UInt8](bytes))
            if !name.contains(".") { file.name += "." + file.kind.fileExtension }
            return file
        } catch {
            throw .badRequest("`\(place)`: \(error.description)", param: place)
        }
    }

    /// An assistant message: its reasoning (`reasoning_content`), text, then tool calls, as a reply
    /// streams them.
    private static func assistant(_ item: JSON, at place: String) throws(RelayError) -> ChatMessage {
        var parts: [MessagePart] = []
        if let thinking = item["reasoning_content"]?.string, !thinking.isEmpty {
            parts.append(.thinking(thinking, signature: nil))
        }
        let content = try text(item["content"], at: place)
        if !content.isEmpty { parts.append(.text(content)) }
        for (position, call) in (item["tool_calls"]?.array ?? []).enumerated() {
            let callPlace = "\(place).tool_calls[\(position)]"
            guard let id = call["id"]?.string, let name = call["function"]?["name"]?.string else {
                throw .badRequest("`\(callPlace)` needs an id and a function name", param: callPlace)
            }
            let arguments = call["function"]?["arguments"]?.string ?? "{}"
            parts.append(.toolCall(ToolCall(id: id, name: name, arguments: arguments)))
        }
        if parts.isEmpty { parts.append(.text("")) }
        return ChatMessage(.assistant, parts: parts)
    }
}

extension Attachment.Kind {
    /// How a file sent without a name is named: `image-1.png`.
    fileprivate var fileExtension: String {
        switch self {
        case .text: "txt"
        case .image(let type): type.rawValue
        case .pdf: "pdf"
        }
    }
}
