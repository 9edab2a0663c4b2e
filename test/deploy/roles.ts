/** Role holders for the MainnetVault deploy tests, taken from the chain's signers. */
import { parseMainnetRoles, type MainnetRoles } from "../../deploy/mainnet.ts";

/**
 * Signers 1 to 5 as admin, curator, guardian, keeper and upkeep beneficiary (signer 0 deploys),
 * through the parameters-file parser as a real deployment would read them.
 */
export function signerRoles(signers: readonly { address: string }[]): MainnetRoles {
  const [, admin, curator, guardian, keeper, beneficiary] = signers;
  if (!admin || !curator || !guardian || !keeper || !beneficiary) throw new Error("need 6 signers");
  return parseMainnetRoles({
    MainnetVault: {
      admin: admin.address,
      curator: curator.address,
      guardian: guardian.address,
      keeper: keeper.address,
      upkeepBeneficiary: beneficiary.address,
    },
  });
}
