/// A typed id made by the client, so an optimistic message exists before its row does and an
/// id of one kind can never be passed as another. Short and readable: `parley show 7kq2m9xa4d`.
public struct Identifier<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Ten characters from a 32-letter alphabet without look-alikes: 50 random bits, drawn at once
    /// (the system's generator makes a system call a draw, and a turn makes four ids).
    public static func random(using generator: inout some RandomNumberGenerator) -> Identifier {
        let alphabet: StaticString = "0123456789abcdefghjkmnpqrstvwxyz"
        let bits = generator.next()
        let characters = (0..<10).map { alphabet.utf8Start[Int(bits >> (5 * $0) & 31)] }
        return Identifier(String(decoding: characters, as: UTF8.self))
    }

    public static func random() -> Identifier {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public var description: String { rawValue }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }
}

public typealias ConversationID = Identifier<Conversation>
public typealias MessageID = Identifier<Message>
/// One streamed request: a reply, or a regeneration of one.
public typealias SessionID = Identifier<StreamSessionTag>
public enum StreamSessionTag {}
