import Foundation
import Logging
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

extension ChildProcessTransport {
    /// The owner task's work: the child's whole life.
    struct Child: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
        var messageLimit: Int
        var logger: Logger

        func run(
            writer: FirstOf<StandardInputWriter?>, incoming: AsyncThrowingStream<Data, any Error>.Continuation,
            controls: AsyncStream<Control>, closed: OutputEnd
        ) async -> ChildEnding {
            var options = PlatformOptions()
            // A group of its own: stopping it reaches whatever it started, and the terminal's
            // Ctrl-C does not reach it (Parley stops it in order).
            options.processGroupID = 0
            options.teardownSequence = [
                .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ChildProcessTransport.grace)
            ]
            let variables = environment.sorted { $0.key < $1.key }.map { Array("\($0.key)=\($0.value)".utf8) }
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments), environment: .custom(variables),
                    platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
                ) { execution in
                    writer.offer(execution.standardInputWriter)
                    async let stderr = ServerStderr.drain(execution.standardError, logger: logger)
                    let problem = await withTaskGroup(of: Stopped.self) { group in
                        group.addTask {
                            let problem = await read(execution.standardOutput, into: incoming)
                            closed.mark()
                            incoming.finish(throwing: Closed())
                            return .output(problem)
                        }
                        group.addTask {
                            await obey(controls, execution)
                            return .controls
                        }
                        var problem: MessageLines.Problem?
                        for await stopped in group {
                            guard case .output(let found) = stopped else { continue }
                            problem = found
                            break
                        }
                        group.cancelAll()
                        return problem
                    }
                    // Its output is closed; whatever of it still runs is stopped before reaping.
                    await execution.teardown(using: [
                        .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ChildProcessTransport.grace)
                    ])
                    return (problem, await stderr)
                }
                let (problem, stderr) = result.closureResult
                return ChildEnding(
                    ending: Self.describe(result.terminationStatus), stderr: stderr, problem: problem, started: true)
            } catch {
                writer.offer(nil)
                closed.mark()
                incoming.finish(throwing: Closed())
                return ChildEnding(ending: "\(error)", stderr: [], problem: nil, started: false)
            }
        }

        private enum Stopped: Sendable {
            case output(MessageLines.Problem?)
            case controls
        }

        /// Messages from stdout until it ends; the problem that made Parley stop reading, if any.
        private func read(
            _ output: SubprocessOutputSequence, into incoming: AsyncThrowingStream<Data, any Error>.Continuation
        )
            async -> MessageLines.Problem?
        {
            var lines = MessageLines(limit: messageLimit)
            do {
                for try await buffer in output {
                    let messages = try buffer.withUnsafeBytes { bytes throws(MessageLines.Problem) in
                        try lines.take(bytes)
                    }
                    for message in messages { incoming.yield(message) }
                }
            } catch let problem as MessageLines.Problem {
                logger.warning("stopped reading: \(problem)")
                return problem
            } catch {
                logger.warning("reading its output failed: \(error)")
            }
            return nil
        }

        private func obey(
            _ controls: AsyncStream<Control>, _ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>
        ) async {
            for await control in controls {
                switch control {
                case .kill:
                    try? execution.send(signal: .kill, toProcessGroup: true)
                case .stop:
                    try? await execution.standardInputWriter.finish()
                    do {
                        try await Task.sleep(for: ChildProcessTransport.grace)
                    } catch {
                        return
                    }
                    await execution.teardown(using: [
                        .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: ChildProcessTransport.grace)
                    ])
                }
            }
        }

        private static func describe(_ status: TerminationStatus) -> String {
            switch status {
            case .exited(let code): "exited with status \(code)"
            case .signaled(let signal): "was killed by signal \(signal)"
            }
        }
    }
}
