import ArgumentParser
import ParleyCore

/// `--reasoning high`, `--reasoning 8k`: read as the config file reads `reasoning`.
extension Reasoning: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
