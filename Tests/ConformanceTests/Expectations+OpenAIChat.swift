import ParleyCore
import ParleyProviders

extension Conformance {
    static let openAIChatExpectations: [FixtureExpectation] = []
}
