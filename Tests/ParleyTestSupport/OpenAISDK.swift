import Foundation
import ParleyCore

/// The official `openai` Python SDK, installed by `.ci/run` in the same virtual environment (by
/// hand: `.venv/bin/pip install openai`); nil when it is not there, and the tests that need it are
/// skipped.
public enum OpenAISDK {
    /// The virtual environment's python, when it has the SDK.
    public static let python: String? = {
        let venv = Fixtures.packageRoot.appendingPathComponent(".venv")
        let libraries =
            (try? FileManager.default.contentsOfDirectory(atPath: venv.appendingPathComponent("lib").path)) ?? []
        let installed = libraries.contains { version in
            FileManager.default.fileExists(
                atPath: venv.appendingPathComponent("lib/\(version)/site-packages/openai/__init__.py").path)
        }
        return installed ? venv.appendingPathComponent("bin/python").path : nil
    }()

    /// `Tests/Fixtures/relay/openai_sdk_client.py` run against `baseURL`: its JSON line, parsed.
    public static func run(baseURL: String, model: String, token: String = "unused", mode: String) async throws -> JSON
    {
        let output = Pipe()
        let client = try ChildProcess(
            [
                python ?? "python3",
                Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/relay/openai_sdk_client.py").path, baseURL,
                model, token, mode,
            ],
            standardOutput: output.fileHandleForWriting.fileDescriptor)
        try output.fileHandleForWriting.close()
        // Waited for without blocking a thread of the test's executor, which the relay under test needs.
        _ = await client.status()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return try JSON.parse([UInt8](data))
    }
}
