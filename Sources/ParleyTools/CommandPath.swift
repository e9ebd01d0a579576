import Foundation

/// Finds a server's command the way a shell would, on the PATH of Parley's own environment:
/// the server itself is started with only its config entry's environment, which usually has no
/// PATH at all.
package enum CommandPath {
    package enum Found: Equatable {
        case executable(String)
        /// A file of that name that cannot be run: the first one on the path.
        case notExecutable(String)
        case notFound
    }

    package static func resolve(_ command: String, path: String?) -> Found {
        if command.contains("/") {
            guard FileManager.default.fileExists(atPath: command) else { return .notFound }
            return isExecutableFile(command) ? .executable(command) : .notExecutable(command)
        }
        let folders = (path ?? "").split(separator: ":", omittingEmptySubsequences: false).map {
            // An empty entry means the current folder, as it does for a shell.
            $0.isEmpty ? "." : String($0)
        }
        var notExecutable: String?
        for folder in folders {
            let candidate = (folder as NSString).appendingPathComponent(command)
            guard FileManager.default.fileExists(atPath: candidate) else { continue }
            if isExecutableFile(candidate) { return .executable(candidate) }
            notExecutable = notExecutable ?? candidate
        }
        return notExecutable.map(Found.notExecutable) ?? .notFound
    }

    /// A file (not a folder) this process may run.
    private static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
