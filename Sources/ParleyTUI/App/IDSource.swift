import ParleyCore

/// Random ids from a seeded generator, so the reducer needs no outside randomness.
struct IDSource: Equatable, Sendable {
    var generator: SeededRandom

    init(seed: UInt64) { generator = SeededRandom(seed: seed) }

    mutating func next<Kind>() -> Identifier<Kind> {
        Identifier<Kind>.random(using: &generator)
    }
}
