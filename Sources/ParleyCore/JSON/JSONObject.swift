/// A JSON object's members, in the order they came, each name once: a later member of the same
/// name replaces the earlier one's value, as in a dictionary.
///
/// A list rather than a dictionary: the objects a reply is made of (a chunk, its choice, its
/// delta) have a handful of members each, and every chunk is read through a dozen look-ups, where
/// comparing names costs less than hashing them (hashing was a tenth of what a token cost). An
/// object of `indexedFrom` members or more also keeps an index by name, so parsing and reading a
/// huge one (a hostile server's 100,000 members) stay linear.
public struct JSONObject: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSON)

    /// One member as stored: a struct, not the `Element` tuple, because an array of tuples is
    /// copied and destroyed through the runtime's generic code for tuples, a struct by its own.
    struct Member {
        var key: String
        var value: JSON
    }

    /// The member count from which names are indexed.
    static let indexedFrom = 16

    private var members: [Member] = []
    /// Each name's position in `members`, once there are `indexedFrom` of them.
    private var positions: [String: Int]?

    public init() {}

    /// The members in order; of two with the same name, the later one's value counts.
    public init(_ members: some Sequence<Element>) {
        self.members.reserveCapacity(members.underestimatedCount)
        for member in members { self[member.key] = member.value }
    }

    /// The parser's members, in order (see `init(_:)` for a repeated name). Its own initializer:
    /// handing the public one the members mapped to tuples costs about 1,000 instructions a
    /// streamed token more (callgrind).
    init(_ members: ArraySlice<Member>) {
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// The parser's members when it has seen that no two have the same name, and that they are
    /// fewer than `indexedFrom`: taken as they are.
    init(distinct members: [Member]) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements.lazy.map { (key: $0.0, value: $0.1) })
    }

    public subscript(key: String) -> JSON? {
        get { position(of: key).map { members[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let position?, let value?): members[position].value = value
            case (let position?, nil): remove(at: position)
            case (nil, let value?): append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> Iterator { Iterator(members: members.makeIterator()) }

    public struct Iterator: IteratorProtocol {
        var members: IndexingIterator<[Member]>

        public mutating func next() -> Element? { members.next().map { ($0.key, $0.value) } }
    }

    /// Adds `other`'s members; where both have a name, `combine` gives its value.
    public mutating func merge(_ other: JSONObject, uniquingKeysWith combine: (JSON, JSON) -> JSON) {
        for (key, value) in other { self[key] = self[key].map { combine($0, value) } ?? value }
    }

    /// These members with `other`'s added; where both have a name, `combine` gives its value.
    public func merging(_ other: JSONObject, uniquingKeysWith combine: (JSON, JSON) -> JSON) -> JSONObject {
        var merged = self
        merged.merge(other, uniquingKeysWith: combine)
        return merged
    }

    /// The same members, whatever their order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func append(_ member: Member) {
        members.append(member)
        if positions != nil {
            positions![member.key] = members.count - 1
        } else if members.count >= Self.indexedFrom {
            indexNames()
        }
    }

    private mutating func remove(at position: Int) {
        members.remove(at: position)
        if positions != nil { indexNames() }
    }

    private mutating func indexNames() {
        var positions = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { positions[member.key] = position }
        self.positions = positions
    }
}
