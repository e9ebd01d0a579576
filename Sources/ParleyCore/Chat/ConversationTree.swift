/// A conversation's messages form a tree: each names the message it follows (`parentID`), and
/// regenerating a reply or editing a message adds a sibling beside the old one instead of
/// replacing it. What is shown, sent and counted is the current path: from the first message, at
/// each fork the branch chosen last (`chosenAt`), else the newest.
public enum ConversationTree {
    /// The current path through `messages` (one conversation's, in any order) and every message off it.
    public static func split(_ messages: [Message]) -> (path: [Message], others: [Message]) {
        var children: [MessageID?: [Message]] = [:]
        for message in messages { children[message.parentID, default: []].append(message) }
        let known = Set(messages.map(\.id))
        // A message whose parent is gone (never saved) starts a path as a first message does.
        var firsts = children[nil] ?? []
        for (parent, orphans) in children where parent.map({ !known.contains($0) }) ?? false { firsts += orphans }
        children[nil] = firsts
        var path: [Message] = []
        var parent: MessageID? = nil
        while let next = chosen(among: children[parent] ?? []) {
            path.append(next)
            parent = next.id
        }
        let onPath = Set(path.map(\.id))
        return (path, messages.filter { !onPath.contains($0.id) })
    }

    /// The path onward from `start`, taking its messages out of `others`: at each fork the
    /// branch chosen last, else the newest.
    static func path(from start: Message, taking others: inout [Message]) -> [Message] {
        let children = Dictionary(grouping: others.filter { $0.parentID != nil }, by: { $0.parentID! })
        var path = [start]
        while let next = chosen(among: children[path.last!.id] ?? []) { path.append(next) }
        let taken = Set(path.map(\.id))
        others.removeAll { taken.contains($0.id) }
        return path
    }

    /// The siblings of `message` (itself included), oldest first: the messages that follow the same one.
    public static func siblings(of message: Message, among others: [Message]) -> [Message] {
        (others.filter { $0.parentID == message.parentID && $0.id != message.id } + [message]).sorted(by: older)
    }

    /// Every descendant of `id` among `messages`.
    static func descendants(of id: MessageID, in messages: [Message]) -> Set<MessageID> {
        var found: Set<MessageID> = []
        var parents: Set<MessageID> = [id]
        while !parents.isEmpty {
            let children = messages.filter { $0.parentID.map(parents.contains) ?? false }.map(\.id)
            parents = Set(children).subtracting(found)
            found.formUnion(parents)
        }
        return found
    }

    static func older(_ a: Message, _ b: Message) -> Bool {
        a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id
    }

    /// The branch a fork follows among `siblings`: the one chosen last, a branch never chosen
    /// counting from when it was made; ties go to the chosen one, then to the newer.
    static func chosen(among siblings: [Message]) -> Message? {
        siblings.max { preferred($1, over: $0) }
    }

    private static func preferred(_ a: Message, over b: Message) -> Bool {
        let first = a.chosenAt ?? a.createdAt
        let second = b.chosenAt ?? b.createdAt
        if first != second { return first > second }
        // Chosen the instant its siblings were made (compare's first column): the choice wins.
        if (a.chosenAt != nil) != (b.chosenAt != nil) { return a.chosenAt != nil }
        return !older(a, b)
    }
}
