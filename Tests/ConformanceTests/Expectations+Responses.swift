import ParleyCore
import ParleyProviders

extension Conformance {
    static let responsesExpectations: [FixtureExpectation] = []
}
