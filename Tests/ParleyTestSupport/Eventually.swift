/// Waits until `condition` holds, looking again every millisecond (sleeping in between, never
/// spinning): true then, false if the waiting task is cancelled first, as a test past its time
/// limit is. No time of its own is allowed: a loaded machine may take long, and a test is about
/// whether it happens.
public func eventually(_ condition: () -> Bool) async -> Bool {
    while !condition() {
        do {
            try await Task.sleep(for: .milliseconds(1))
        } catch {
            return false
        }
    }
    return true
}
