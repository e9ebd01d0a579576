import ArgumentParser
import Foundation

struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A terminal chat client for large language models.",
        discussion: """
            Without a provider Parley uses its built-in offline demo, so it works with no key and \
            no network. Providers: \(ProviderNames.list).
            """,
        subcommands: [Ask.self])
}

/// Runs the command line with PRODUCT.md's exit codes: 0 done, 1 the provider or network
/// failed, 2 usage error, 130 interrupted. (ArgumentParser's own usage code is 64.)
@main
enum Main {
    static func main() async {
        do {
            var command = try Parley.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UsageError {
            Console.error("error: \(error.message)\n")
            exit(2)
        } catch {
            let code = Parley.exitCode(for: error)
            let message = Parley.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if !message.isEmpty { Console.error(message.hasSuffix("\n") ? message : message + "\n") }
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A usage problem found while running (after parsing): reported without a usage banner,
/// which would name the wrong command.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
