import Foundation
import MCP
import ParleyCore

/// Parley's JSON and the SDK's `Value` are the same data in two shapes: tool schemas come in as
/// `Value`, call arguments go out as one.
extension JSON {
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        // The SDK reads any data: URL string as data; it was a string on the wire.
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map(JSON.init))
        case .object(let members): self = .object(members.mapValues(JSON.init))
        }
    }
}

extension MCP.Value {
    init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number):
            // A whole number stays one: a tool's schema may ask for an integer.
            if let whole = json.int { self = .int(whole) } else { self = .double(number) }
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(MCP.Value.init))
        case .object(let members): self = .object(members.mapValues(MCP.Value.init))
        }
    }
}
