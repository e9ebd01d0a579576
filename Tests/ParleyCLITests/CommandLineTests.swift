import ArgumentParser
import Foundation
import Testing

@testable import parley

/// What a person mistyping at the command line is told: one way for every error to start, the
/// command they probably meant, and values checked in words rather than refused as options.
@Suite("The command line")
struct CommandLineTests {
    @Test("a mistyped command is named, with the nearest one and the list")
    func mistypedCommand() async throws {
        let result = try await ParleyProcess.run(["aks", "hello"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: unknown command 'aks' (did you mean 'ask'?). Commands: chat, ask, list, show, export, search, rm, models, doctor, config, tools, stats, serve.\n"
        )
    }

    @Test("every command names itself: a name made from a type's name costs each start a search of every conformance")
    func commandsNameThemselves() {
        func unnamed(_ command: any ParsableCommand.Type) -> [String] {
            let configuration = command.configuration
            return (configuration.commandName == nil ? ["\(command)"] : [])
                + configuration.subcommands.flatMap { unnamed($0) }
        }
        #expect(unnamed(Parley.self) == [])
    }

    @Test("every error starts the same way, the argument parser's own included")
    func errorsStartAlike() async throws {
        for arguments in [["ask", "--nope"], ["show"], ["ask", "--provider", "nosuch", "hi"]] {
            let result = try await ParleyProcess.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        }
    }

    @Test("--temperature -1 is read as a number and refused in words")
    func negativeTemperature() async throws {
        let result = try await ParleyProcess.run(["ask", "--provider", "demo", "--temperature", "-1", "hi"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: --temperature must be between 0 and 2."))
    }

    @Test("parley --help names the app's own options")
    func rootHelp() async throws {
        let result = try await ParleyProcess.run(["--help"])
        #expect(result.status == 0)
        let words = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("--provider P, --model M, --base-url URL, --reasoning SETTING"))
    }
}
