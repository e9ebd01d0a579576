/// A typed id made by the client, so an optimistic message exists before its row does and an
/// id of one kind can never be passed as another. Short and readable: `parley show 7kq2m9xa4d`.
public struct Identifier<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Ten characters from a 32-letter alphabet without look-alikes: 50 random bits.
    public static func random(using generator: inout some RandomNumberGenerator) -> Identifier {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        return Identifier(String((0..<10).map { _ in alphabet[Int.random(in: 0..<32, using: &generator)] }))
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
