// Registers toReceiveCommandWith and friends (and their types) for every unit test file.
import 'aws-sdk-client-mock-vitest/extend';
