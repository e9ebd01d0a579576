import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore

struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A terminal chat client for large language models.",
        discussion: """
            `parley` alone opens the full-screen app (`parley --provider P --model M` for another \
            provider; F1 there lists every key); `parley ask "…"` streams one reply for scripts.

            Without a provider Parley uses its built-in offline demo, so it works with no key and \
            no network. Providers: \(ProviderNames.list).

            Settings come from flags, then environment variables, then the config file \
            (`parley config path`), then the defaults. `parley doctor` checks the set-up.

            The app's own options (`parley chat --help` says more): --provider P, --model M, \
            --base-url URL, --reasoning SETTING.

            Exit codes: 0 done, 1 the provider or network failed, 2 usage error (a broken config \
            file included), 130 interrupted.
            """,
        version: "parley \(ParleyVersion.current)",
        subcommands: [
            ChatCommand.self, Ask.self, List.self, Show.self, Export.self, Search.self, Remove.self, Models.self,
            Doctor.self, ConfigCommand.self, ToolsCommand.self, Stats.self, Serve.self,
        ],
        defaultSubcommand: ChatCommand.self)
}

extension Parley {
    /// A first word that is no command is a mistyped one (the app, the default, takes no words):
    /// named, with the nearest command, instead of "unexpected arguments" from the app. (Every
    /// command says its own name: one made from its type's name costs a search through every
    /// protocol conformance in the binary, at each start.)
    static func checkCommandName(_ arguments: [String]) throws(CommandFailure) {
        guard let word = arguments.first, !word.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return }
        let suggestion = NearestName.to(word, among: names).map { " (did you mean '\($0)'?)" } ?? ""
        throw .usage("unknown command '\(word)'\(suggestion). Commands: \(names.dropLast().joined(separator: ", ")).")
    }
}

/// Runs the command line with PRODUCT.md's exit codes: 0 done, 1 the provider or network
/// failed, 2 usage error, 130 interrupted. (ArgumentParser's own usage code is 64.)
@main
enum Main {
    static func main() async {
        // `parley ask … | head` closes our stdout early: the reply still finishes and is saved
        // (writes to the closed pipe are dropped) instead of the process dying mid-reply.
        signal(SIGPIPE, SIG_IGN)
        LogFile.bootstrap(environment: ProcessEnvironment.variables)
        do {
            try Parley.checkCommandName(Array(CommandLine.arguments.dropFirst()))
            var command = try Parley.parseAsRoot(Ask.spellingToolServers(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(finalCode(0))
        } catch let failure as CommandFailure {
            Console.error("error: \(failure.message)\n")
            exit(finalCode(failure.exitCode))
        } catch let code as ExitCode {
            // A command that said all it had to and chose its code (`ask` ends so). ArgumentParser's
            // way to the code builds the command's help first, to find nothing to print: about 1 %
            // of a one-token `ask`'s instructions.
            exit(finalCode(code == .validationFailure ? 2 : code.rawValue))
        } catch {
            let code = Parley.exitCode(for: error)
            let message = Parley.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console.output(message + "\n") }
                exit(finalCode(0))
            }
            // One way for every error to start, the parser's own included.
            let line = message.hasPrefix("Error: ") ? "error: " + message.dropFirst(7) : message
            if !line.isEmpty { Console.error(line.hasSuffix("\n") ? line : line + "\n") }
            exit(finalCode(code == .validationFailure ? 2 : code.rawValue))
        }
    }

    /// `code`, unless output was lost: a reply written to a full disk is a failure (exit 1, said on
    /// stderr), never a silent success. Only a closed pipe is quiet.
    private static func finalCode(_ code: Int32) -> Int32 {
        guard let failure = Console.outputFailure, code == 0 else { return code }
        Console.error("error: could not write to standard output: \(failure.lowercasedFirst).\n")
        return 1
    }
}

extension String {
    /// "No space left on device" as it reads inside a sentence.
    fileprivate var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
