/** Triage step 3: what the server answered, and what that means for this kind of attack. */
export { type HttpAnswer, httpAnswers } from './http-answer.js';
export { type AttackKind, attackKind, type HttpMeaning, httpMeaning, looksBinary } from './http-meaning.js';
export { type SshLogin, sshLogin } from './ssh-login.js';
export { responseVerdict } from './verdict.js';
