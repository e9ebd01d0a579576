import ParleyCore
import ParleyProviders

extension Conformance {
    static let geminiExpectations: [FixtureExpectation] = []
}
