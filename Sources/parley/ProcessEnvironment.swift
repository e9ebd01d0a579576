import Foundation

/// The process's environment variables, read once: Foundation builds a new dictionary of all of
/// them at every `ProcessInfo.environment` (about 0.4 M instructions here), and one `parley ask`
/// asked four times. Parley never changes its own environment, so the first copy holds for the
/// whole run.
enum ProcessEnvironment {
    static let variables = ProcessInfo.processInfo.environment
}
