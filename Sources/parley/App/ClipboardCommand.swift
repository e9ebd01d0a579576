import Foundation
import ParleyTUI
import ParleyTools
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The local clipboard command (`wl-copy`, `xclip`, `xsel`, `pbcopy`, or the config's own), given
/// the copied text on its standard input. Its output goes nowhere: xclip and wl-copy leave a child
/// behind to serve the selection, which must not hold a pipe Parley waits on.
enum ClipboardCommand {
    /// The way copies go for `[app] clipboard` (`setting`) and `clipboard_command` (`command`),
    /// with commands looked for on the PATH of `environment`.
    static func way(_ setting: String, command: [String]?, environment: [String: String]) -> Clipboard {
        Clipboard.choose(
            Clipboard.Setting(rawValue: setting) ?? .auto, command: command, environment: environment,
            locate: { name in
                if case .executable(let path) = CommandPath.resolve(name, path: environment["PATH"]) {
                    path
                } else {
                    nil
                }
            })
    }

    /// Nil when the command took the text; otherwise `copyFailed`, saying why.
    static func copy(_ text: String, path: String, arguments: [String]) async -> AppEvent? {
        let name = (path as NSString).lastPathComponent
        do {
            let result = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments), input: .string(text), output: .discarded,
                error: .discarded)
            guard result.terminationStatus.isSuccess else {
                return .copyFailed("\(name) failed (\(result.terminationStatus)).")
            }
            return nil
        } catch {
            return .copyFailed("\(name) could not be run: \(error).")
        }
    }
}
