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

    /// Timeouts no busy machine reaches, for a reply a story holds at a gate until its next turn,
    /// and for a test server's model list (waited for as long as a reply's first byte): with the
    /// defaults (first byte 30 s, idle 60 s), a run of the whole suite that kept a story from its
    /// turn for a minute failed the reply before the story opened the gate.
    static let patientTimeouts = "[timeouts]\nfirst_byte = 600\nidle = 600\n"

    /// Writes `patientTimeouts` as the config of the data folder `home`, making it if need be.
    static func patient(_ home: String) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try patientTimeouts.write(toFile: home + "/config.toml", atomically: true, encoding: .utf8)
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
