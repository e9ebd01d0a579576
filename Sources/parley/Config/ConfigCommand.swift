import ArgumentParser
import Foundation
import ParleyConfig
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Where the config file is, what it says, and editing it.",
        discussion: """
            The file is $XDG_CONFIG_HOME/parley/config.toml (~/.config/parley/config.toml), or \
            $PARLEY_HOME/config.toml when PARLEY_HOME is set. Flags beat environment variables, which \
            beat the file, which beats the defaults. A broken file stops every command that reads it \
            with its path, line, column and the problem (exit 2).
            """,
        subcommands: [Path.self, Show.self, Edit.self])

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path",
            abstract: "Print the config file's path (and, on stderr, whether it exists).")

        func run() throws {
            guard let path = ConfigLocation.path(environment: ProcessEnvironment.variables) else {
                throw CommandFailure.usage("there is no home folder: set HOME, XDG_CONFIG_HOME or PARLEY_HOME.")
            }
            Console.output(path + "\n")
            if !FileManager.default.fileExists(atPath: path) {
                Console.error("(it does not exist yet: the defaults apply; `parley config edit` creates it)\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the settings in effect, secrets masked.",
            discussion: """
                Prints TOML: the file's settings and, marked "default", what applies where it is \
                silent. Keys are never printed: each key variable is shown as set or missing, a \
                key_command is shown but not run, and headers whose name looks like a credential \
                (Authorization, *key*, *token*…) are masked.
                """)

        func run() throws {
            let environment = ProcessEnvironment.variables
            let loaded = try AppConfiguration.loadForCommand(environment: environment)
            Console.output(ConfigDisplay.render(loaded, environment: environment))
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Open the config file in $EDITOR (else $VISUAL, else vi), then check it.",
            discussion: """
                A missing file is created first from the documented example (Resources/config.example.toml). \
                When the editor exits, the file is checked: a problem is reported with its line and \
                column (exit 2), and the file is kept as you left it so you can run `parley config \
                edit` again.
                """)

        func run() async throws {
            let environment = ProcessEnvironment.variables
            guard let path = ConfigLocation.path(environment: environment) else {
                throw CommandFailure.usage("there is no home folder: set HOME, XDG_CONFIG_HOME or PARLEY_HOME.")
            }
            if !FileManager.default.fileExists(atPath: path) { try create(path) }
            let editor = [environment["EDITOR"], environment["VISUAL"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
            let status = try await Self.runEditor(editor, path: path)
            guard status == 0 else {
                throw CommandFailure.failed(
                    "the editor `\(editor)` exited with status \(status); the file was not checked.")
            }
            _ = try AppConfiguration.loadForCommand(environment: environment)
            Console.error("\(path): ok\n")
        }

        private func create(_ path: String) throws(CommandFailure) {
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // Private from the start: it may come to hold header secrets or key commands.
                guard
                    FileManager.default.createFile(
                        atPath: path, contents: Data(ConfigExample.startingFile.utf8),
                        attributes: [.posixPermissions: 0o600])
                else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                throw CommandFailure.failed("could not create \(path): \(error.localizedDescription)")
            }
            Console.error("created \(path) from the example, every setting commented out\n")
        }

        /// Runs `editor path` through the shell, so an editor given with arguments (`code --wait`)
        /// works, on our terminal; returns its exit status (as a shell says it: 128 and the signal for one killed).
        static func runEditor(_ editor: String, path: String) async throws(CommandFailure) -> Int32 {
            do {
                let result = try await Subprocess.run(
                    .path("/bin/sh"), arguments: ["-c", editor + " \"$1\"", "sh", path],
                    input: .fileDescriptor(.standardInput, closeAfterSpawningProcess: false),
                    output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
                    error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
                switch result.terminationStatus {
                case .exited(let code): return code
                case .signaled(let signal): return 128 + signal
                }
            } catch {
                throw CommandFailure.failed("could not start the editor `\(editor)`: \(error)")
            }
        }
    }
}
