import ParleyCore
import ParleyProviders

extension Conformance {
    static let anthropicExpectations: [FixtureExpectation] = []
}
