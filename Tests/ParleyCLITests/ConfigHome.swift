import Foundation
import ParleyTestSupport

/// A PARLEY_HOME folder holding a config file, as one user's set-up.
struct ConfigHome {
    let folder = ParleyProcess.dataFolder()

    var configPath: String { folder + "/config.toml" }

    /// `PARLEY_HOME` pointing here, plus `more`.
    func environment(_ more: [String: String] = [:]) -> [String: String] {
        ["PARLEY_HOME": folder].merging(more) { _, new in new }
    }

    init(_ config: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if let config { try write(config) }
    }

    func write(_ config: String) throws {
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func read() throws -> String { try String(contentsOfFile: configPath, encoding: .utf8) }

    /// An executable shell script in this folder, for EDITOR or a key command.
    func script(_ name: String, _ body: String) throws -> String {
        let path = folder + "/" + name
        try Executable.write("#!/bin/sh\n" + body + "\n", to: path)
        return path
    }
}
