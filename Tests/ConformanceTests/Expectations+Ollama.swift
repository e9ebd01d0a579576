import ParleyCore
import ParleyProviders

extension Conformance {
    static let ollamaExpectations: [FixtureExpectation] = []
}
