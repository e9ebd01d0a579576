/// A problem found while running, reported as one plain line and its exit code. (A usage
/// problem found after parsing gets no usage banner, which would name the wrong command.)
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 2) }
    static func failed(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 1) }
}
