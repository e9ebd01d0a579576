import Foundation
import ParleyProviders
import Synchronization

/// Runs a `key_command` (`pass show openai`) through `/bin/sh -c` and returns its first line of
/// output, trimmed. Its standard input is empty (the prompt may be on ours); what it writes to
/// stderr explains a failure.
public enum KeyCommand {
    public static let run: KeyCommandRunner = { command throws(KeyCommandFailure) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw KeyCommandFailure(command: command, reason: "could not be started: \(error.localizedDescription)")
        }
        // Read both pipes at once, so a chatty stderr cannot block the command.
        let errorText = Mutex<Data>(Data())
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            errorText.withLock { $0 = data }
            drained.signal()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        drained.wait()
        let stderr = String(decoding: errorText.withLock { $0 }, as: UTF8.self)
        let lastError =
            stderr.split(whereSeparator: \.isNewline).last.map { ": " + $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how =
                process.terminationReason == .exit
                ? "exited with status \(process.terminationStatus)"
                : "was killed by signal \(process.terminationStatus)"
            throw KeyCommandFailure(command: command, reason: how + lastError)
        }
        let key =
            String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !key.isEmpty else { throw KeyCommandFailure(command: command, reason: "printed no key") }
        return key
    }
}
